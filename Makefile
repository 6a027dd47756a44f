# Pamong — every target bootstraps what it needs, so a fresh machine with python3, make and apt is enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench demo clean lock messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The demo on the production server (gunicorn, DEBUG off) over plain HTTP on 127.0.0.1 (pamong.settings.demo).
run: $(STAMP)
	DJANGO_SETTINGS_MODULE=pamong.settings.demo $(BIN)/pamong demo
	DJANGO_SETTINGS_MODULE=pamong.settings.demo $(BIN)/pamong serve --port $(PORT)

demo: $(STAMP)
	$(BIN)/pamong demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The suite on SQLite; again on PostgreSQL when CI=true or PAMONG_TEST_POSTGRES is set.
test: lint
	$(BIN)/python scripts/run_tests.py

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

messages: $(STAMP)
	cd pamong && ../$(BIN)/django-admin compilemessages --settings=pamong.settings.local

# Regenerate the lock file after editing pyproject.toml dependencies.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var
