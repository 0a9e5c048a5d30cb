# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test setup

$(BIN)/.installed: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

setup: $(BIN)/.installed

## Start Huxiao on the embedded SQLite default, with the demo county on a new database.
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	@echo "Huxiao: open http://$(HOST):$(PORT)/api/docs (demo password demo12345)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

## Run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set).
test: setup
	$(BIN)/python -m pytest
