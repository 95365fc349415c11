# Two commands: `make run` starts the bot, `make test` runs the suite. Both set up .venv first:
# `make run` with what running needs (requirements.txt), `make test` with the test tools too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: venv venv-dev run test lint bench clean

venv: $(STAMP)
venv-dev: $(DEV_STAMP)

# Reinstall only when the pinned requirements change.
$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

run: venv
	$(BIN)/python main.py run

# Two pytest processes per core (pytest-xdist): many tests spend their time waiting (a rate
# limit, a child main.py, a loopback server), and a second process per core fills that wait;
# worksteal hands a waiting process the tests another has queued, so a few long tests at the
# end do not leave a core idle.
JOBS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')
#
# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE, as in
# many containers): the suite starts Python a hundred times (main.py, feed workers), and each
# start would compile Warta's modules again, about a sixth of a second of CPU every time. The
# caches go to __pycache__ folders, which git ignores.
test: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(JOBS) --dist worksteal

# ruff check for style and imports, ruff format --check for layout: the code is formatted by
# `ruff format` (run it before committing), so a diff never mixes layout with meaning.
lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv-dev
	for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
