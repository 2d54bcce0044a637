# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app:create_app

.PHONY: run test install install-test translations migrate demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,server]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(BIN)/pip install --quiet -e ".[dev,server,test]"
	touch $@

install: $(VENV)/.installed-run translations

install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed-run
	$(BIN)/pybabel compile --statistics -d translations

migrate: install
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo load

# The web app, a Celery worker and beat, on SQLite and the SQLite broker unless
# DATABASE_URL and CELERY_BROKER_URL say otherwise. Data is kept between runs.
run: demo
	@echo
	@echo "  Kế hoạch is starting at http://127.0.0.1:$(PORT)  (Ctrl+C stops it)"
	@echo
	$(BIN)/honcho start --procfile Procfile --port $(PORT)

# The whole suite on SQLite (but the tests of PostgreSQL's locks); again on PostgreSQL when
# TEST_DATABASE_URL is set.
test: install-test
	env -u TEST_DATABASE_URL $(BIN)/pytest -m "not postgresql"
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		$(BIN)/pytest -m "not browser"; \
	fi

# Rollups at three scales (Như Xuân, Thanh Hóa, the country) on PostgreSQL, in databases of its
# own on BENCH_DATABASE_URL's server (default: the local one); prints a table of the figures and
# whether each target is met.
bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance

# The message catalogues: extract the English source strings into translations/messages.pot and
# merge them into each language's messages.po (created if missing). No line numbers and sorted
# output, so moving code does not churn the catalogues; the .pot is only rewritten when a string
# changed. Then translate the new entries of translations/vi/LC_MESSAGES/messages.po (tests/
# test_i18n.py fails while one is empty or fuzzy, and reads the keywords from this file).
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2
CATALOGUE_LOCALES := vi en

.PHONY: messages
messages: $(VENV)/.installed-run
	$(BIN)/pybabel --quiet extract -F babel.cfg $(BABEL_KEYWORDS) --add-comments=TRANSLATORS: \
		--no-location --sort-output --project=kehoach --charset=utf-8 \
		-o translations/messages.pot.new .
	@if [ -f translations/messages.pot ] && \
		diff -q -I '^"POT-Creation-Date: ' translations/messages.pot translations/messages.pot.new >/dev/null; \
	then rm translations/messages.pot.new; \
	else mv translations/messages.pot.new translations/messages.pot; fi
	@for locale in $(CATALOGUE_LOCALES); do \
		$(BIN)/pybabel --quiet update -i translations/messages.pot -d translations -l $$locale \
			--init-missing --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date || exit 1; \
	done
	@echo "Catalogues updated: translate the empty entries of translations/vi/LC_MESSAGES/messages.po."
