# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := wsgi
# what QR codes point to; phones on the network need the address they can reach
export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test setup

$(BIN)/.installed: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

# Labels print Chinese: a TrueType CJK font must be on the machine (a fresh one has none).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
ifeq ($(LABEL_FONT_PATH),)
FONT_TARGET := $(CJK_FONT)
endif

$(CJK_FONT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; \
	else \
	  echo "Huxiao's labels need a CJK TrueType font: run 'sudo apt-get install fonts-wqy-zenhei'," \
	       "or set LABEL_FONT_PATH to one" >&2; exit 1; \
	fi

# The PWA's QR decoder for browsers without BarcodeDetector (zxing-cpp built to WebAssembly).
pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "npm is needed for the PWA's QR decoder: run 'sudo apt-get install nodejs npm'" >&2; exit 1; fi; }
	cd pwa && npm ci --omit=dev --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed $(FONT_TARGET) pwa/node_modules/.installed

## Start Huxiao on the embedded SQLite default, with the demo county on a new database.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	@echo "Huxiao: the app at http://$(HOST):$(PORT)/app/, the API at /api/docs (demo password demo12345)"
	@# threads: a worker decoding a stranger's photo still answers others (bench/upload_bench.py)
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --worker-class gthread --threads 4 --no-control-socket --access-logfile - wsgi:app

# The PWA's tests drive a real browser: Debian's Chromium (Playwright downloads none).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The PWA's tests need Chromium: run 'sudo apt-get install chromium'" >&2; exit 1; \
	fi

## Run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set).
test: setup $(CHROMIUM)
	$(BIN)/python -m pytest
