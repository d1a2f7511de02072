# wijkbot: one command to run, one to test. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run web test check lint format index bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(DEVSTAMP)

## make run: set up, then start Telegram (token set) or the terminal chat; `start` builds the index if needed.
run: $(STAMP)
	$(PY) -m bot start

## make web: set up, build the index if needed, start the web app (chat, kaart beheer, inzicht).
web: $(STAMP)
	$(PY) -m bot index
	$(PY) -m bot web

## make test: set up with dev dependencies and run the whole suite (offline).
test: $(DEVSTAMP)
	$(PY) -m pytest

check: $(DEVSTAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy bot
	$(PY) -m pytest

lint: $(DEVSTAMP)
	$(VENV)/bin/ruff check .

format: $(DEVSTAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

index: $(STAMP)
	$(PY) -m bot index --rebuild

bench: $(DEVSTAMP)
	$(PY) bench/retrieval.py
	$(PY) bench/latency.py
	$(PY) bench/suggest.py
	$(PY) bench/scale.py
	$(PY) bench/load.py
	$(PY) bench/privacy.py
	$(PY) bench/web.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
