# The two commands of the README: `make run` and `make test` (and `make bench`, the speed figures).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint bench

install: $(STAMP)

# Reinstall only when requirements.txt changes.
$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# Each benchmark at a size that runs in a few minutes (the full ones: see README); on PostgreSQL too when
# TEST_DATABASE_URL is set.
bench: $(STAMP)
	$(BIN)/python bench/import_members.py --rows 100000
	$(BIN)/python bench/inbound.py -n 500 --paced 5
	$(BIN)/python bench/reminders.py --families 20000 --drain 1000 --limited 200 --limit 10
	$(BIN)/python bench/provider_clients.py --messages 2000
	$(BIN)/python bench/admin_overview.py --members 100000 --cadres 500
	$(BIN)/python bench/admin_operations.py --members 100000 --cadres 500 --runs 5
