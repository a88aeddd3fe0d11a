# CivicPlan — the two commands of the README, and the tools around them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format lock messages clean

# Create .venv and install the locked dependencies, then the project itself (editable).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The test suite's browser-side tools (axe-core), pinned in package-lock.json. Without npm the
# accessibility checks skip with a printed reason.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: accessibility checks in the browser tests will be skipped"; fi

# The whole product, as in production but on this machine: the web server (gunicorn, DEBUG off
# unless CIVICPLAN_DEBUG=1), the task worker and the mail intake, one group (honcho): Ctrl-C stops
# them all. The secret key is this machine's (var/secret-key, made by the first command).
run: $(STAMP)
	$(BIN)/civicplan migrate --noinput
	$(BIN)/civicplan bootstrap
	CIVICPLAN_SECRET_KEY="$${CIVICPLAN_SECRET_KEY:-$$($(BIN)/python -c 'from civicplan.cli import local_secret_key; print(local_secret_key())')}" \
	  $(BIN)/honcho start --procfile deploy/Procfile --app-root .

test: $(STAMP) node_modules/.installed
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.timeframes
	$(BIN)/python -m bench.corpus
	$(BIN)/python -m bench.plan_import
	$(BIN)/python -m bench.hostile_plans
	$(BIN)/python -m bench.formats
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.site
	$(BIN)/python -m bench.workspace
	$(BIN)/python -m bench.two_instances
	$(BIN)/python -m bench.mail_intake
	$(BIN)/python -m bench.reports

lint: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Update the English catalogue from the code and templates, then compile it (needs the gettext
# tools; the compiled .mo is committed so a fresh machine runs without them).
messages: $(STAMP)
	cd src/civicplan && ../../$(BIN)/civicplan makemessages -l en --no-location --no-obsolete -e html,txt,py
	cd src/civicplan && ../../$(BIN)/civicplan compilemessages -l en

# Re-pin every dependency (needs network to a package index).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .ruff_cache
