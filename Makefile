# Two commands for a fresh machine with Python 3.11:  make run  |  make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format data check site bench chromium clean messages

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

ADDRESS ?= 127.0.0.1
SITE_LANG ?= en
# Each language's catalog is compiled (.po -> .mo, fuzzy entries left out) whenever it changed.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard geo/view/locale/*/LC_MESSAGES/messages.po))

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@


run: $(STAMP) $(CATALOGS)  ## set up, then serve the app on http://127.0.0.1:8501 (ADDRESS=0.0.0.0 to serve a newsroom)
	$(BIN)/python -m streamlit run app.py --server.address $(ADDRESS)

test: $(STAMP) $(CATALOGS) chromium  ## set up, then lint and run the whole suite (unit, data, app, browser)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m pytest

data: $(STAMP)  ## rebuild data/ from seeds/ (offline)
	$(BIN)/python -m geo.build

check: $(STAMP)  ## fail if data/ is not what seeds/ produce
	$(BIN)/python -m geo.build --check

format: $(STAMP)  ## apply ruff's fixes and formatting
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

site: $(STAMP) $(CATALOGS)  ## the static reader site in site/ (serve the folder from any static host or CDN)
	$(BIN)/python -m geo.site site --lang $(SITE_LANG)

bench: $(STAMP) $(CATALOGS) chromium  ## the performance benchmark; writes bench/results/
	$(BIN)/python -m bench.run

# Browser tests and picture exports use the system chromium (never a downloaded browser), with a
# CJK font so Chinese bureau names (福州) render as glyphs, not boxes.
chromium:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } && \
	  { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      apt-get update -qq && apt-get install -y -qq chromium fontconfig fonts-wqy-microhei >/dev/null; \
	    else echo "Install Chromium and a CJK font (Debian/Ubuntu: sudo apt-get install chromium fontconfig fonts-wqy-microhei) and rerun."; exit 1; fi; }

clean:
	rm -rf $(VENV) static .pytest_cache .hypothesis

# Translations: geo/view/locale/<lang>/LC_MESSAGES/messages.po (people edit these). `make messages`
# re-extracts the English words from the code and merges them into every catalog.
LANGS := it es fr de nl pt zh
messages: $(STAMP)  ## re-extract the map's words and merge them into each language's catalog
	$(BIN)/pybabel extract -F geo/view/locale/babel.cfg -k N_ -k NP_:1,2 -k t -k n:1,2 -k _ \
	  --no-location --sort-output --project "Overseas Police Stations Map" \
	  --copyright-holder "the project's contributors" -o geo/view/locale/messages.pot app.py geo/view
	for l in $(LANGS); do \
	  if [ -f geo/view/locale/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -l $$l -i geo/view/locale/messages.pot -d geo/view/locale; \
	  else $(BIN)/pybabel init -l $$l -i geo/view/locale/messages.pot -d geo/view/locale; fi; \
	done
