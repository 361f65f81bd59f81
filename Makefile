# Two commands on a fresh machine: `make demo` and `make test`.
# Everything runs from .venv, which the first target to need it creates.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RESULTS := results

.PHONY: all venv tools lint utest atest features docs docs-check test demo clean

all: test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

# Real SMTP clients this project did not write, and mutt. A missing one is installed
# when we can (Debian, as root) and is an error otherwise, never a skip.
tools:
	@./.ci/tools

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

utest: venv tools
	$(BIN)/pytest -q utest

atest: venv tools
	$(BIN)/robot --outputdir $(RESULTS)/atest --pythonpath atest/resources \
		--consolewidth 100 --consolecolors off atest

features: venv
	$(BIN)/behave --format progress features

docs: venv
	$(BIN)/python docs/generate.py

test: lint utest atest features
	@echo "All tests passed."

# The sign-up example: an application that mails a verification link,
# checked by a Robot suite and by a behave feature.
demo: venv
	$(BIN)/robot --outputdir $(RESULTS)/demo --consolewidth 100 examples/signup/signup.robot
	cd examples/signup && ../../$(BIN)/behave --format progress features
	@echo
	@echo "Robot log: $(abspath $(RESULTS)/demo/log.html)"

clean:
	rm -rf $(RESULTS) .pytest_cache build *.egg-info
