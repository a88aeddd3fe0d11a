/* Follows a background job (an import being read, a plan's file being written) on its page:
   asks the address in data-follow every 2 s, shows the rows done, and reloads the page once
   the job is over. The page works without it: a link offers to look again. */
(function () {
  "use strict";
  var box = document.querySelector("[data-follow]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-follow");
  var bar = box.querySelector("progress");
  var said = box.querySelector("[data-said]");

  function show(state) {
    if (bar && state.total) {
      bar.max = state.total;
      bar.value = state.done;
    }
    if (said && state.said) {
      said.textContent = state.said;
    }
  }

  function ask() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.over) {
          window.location.reload();
          return;
        }
        show(state);
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }

  window.setTimeout(ask, 2000);
}());
