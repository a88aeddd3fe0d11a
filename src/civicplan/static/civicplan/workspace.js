/* The plan workspace without page loads where it saves one: a row's form opens under the row
   (the same form as its own page, asked for with fetch) and is sent with fetch; a typed time
   frame is read back as it is typed. Every action works without this file: the links and
   forms lead to their own pages. */
(function () {
  "use strict";
  var HEADERS = { "X-Requested-With": "fetch" };

  function readBack(input) {
    var form = input.form;
    var output = form && (form.querySelector("[data-reading]") || document.querySelector("[data-reading]"));
    if (!output) {
      return;
    }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var url = output.getAttribute("data-url") + "?text=" + encodeURIComponent(input.value);
        fetch(url, { headers: HEADERS, cache: "no-store" })
          .then(function (response) { return response.json(); })
          .then(function (said) { show(output, said); })
          .catch(function () { /* the page's own reading stays */ });
      }, 250);
    });
  }

  function show(output, said) {
    output.textContent = "";
    if (!said.text) {
      output.appendChild(span("muted", output.getAttribute("data-empty") || "—"));
      return;
    }
    output.appendChild(span("words", said.words));
    if (said.precision) {
      output.appendChild(document.createTextNode(" "));
      output.appendChild(span("muted", "· " + said.precision));
    }
    if (said.warning) {
      output.appendChild(document.createTextNode(" "));
      output.appendChild(span("warning", "⚠ " + said.warning));
    }
  }

  function span(name, text) {
    var element = document.createElement("span");
    element.className = name;
    element.textContent = text;
    return element;
  }

  function wire(root) {
    root.querySelectorAll("input[data-timeframe]").forEach(readBack);
  }

  function go(location) {
    var target = new URL(location, window.location.href);
    var here = window.location;
    if (target.pathname === here.pathname && target.search === here.search) {
      here.hash = target.hash;
      here.reload();
    } else {
      here.assign(target.href);
    }
  }

  function openInPlace(link) {
    var row = link.closest("tr");
    var open = document.querySelector("tr.inline-form");
    if (open) {
      open.previousElementSibling.classList.remove("editing");
      open.remove();
    }
    fetch(link.href, { headers: HEADERS, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("tr");
        holder.className = "inline-form";
        var cell = document.createElement("td");
        cell.colSpan = row.children.length;
        holder.appendChild(cell);
        row.after(holder);
        row.classList.add("editing");
        fill(cell, html, link.href);
      })
      .catch(function () { window.location.assign(link.href); });
  }

  function fill(cell, html, address) {
    cell.innerHTML = html;
    wire(cell);
    var form = cell.querySelector("form[data-row-form]");
    var first = form.querySelector("input:not([type=hidden]), textarea, select");
    if (first) { first.focus(); }
    cell.querySelector("[data-cancel]").addEventListener("click", function (event) {
      event.preventDefault();
      cell.parentNode.previousElementSibling.classList.remove("editing");
      cell.parentNode.remove();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      fetch(form.action || address, { method: "POST", body: data, headers: HEADERS })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === 0) {
            return response.json().then(function (done) { go(done.location); });
          }
          return response.text().then(function (again) { fill(cell, again, address); });
        })
        .catch(function () { form.submit(); });
    });
  }

  wire(document);
  document.querySelectorAll("a[data-edit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      openInPlace(link);
    });
  });
}());
