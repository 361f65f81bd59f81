# Two commands on a fresh machine: `make demo` and `make test`.
# Everything runs from .venv, which the first target to need it creates.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RESULTS := results

.PHONY: all venv tools lint utest itest atest features hard conformance stress audit docs test demo bench clean

all: test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

# Programs this project did not write that the tests drive (.ci/tools lists them):
# SMTP clients, mutt, s-nail and Jakarta Mail, OpenDKIM, Node.js with imapflow and
# nodemailer, Chromium for the log test. A missing one is installed when we can
# (Debian, as root) and is an error otherwise, never a skip.
tools:
	@./.ci/tools

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The core and the adapters in-process: fast, no other program involved.
utest: venv
	$(BIN)/pytest -q utest

# Real programs around the library: the CLI as a process, swaks and curl,
# Chromium opening a log, pytest and Robot runs, the wheel in a fresh venv,
# and every example of the README and the guides.
itest: venv tools
	$(BIN)/pytest -q itest

# In parallel, as big suites run: every process starts its own servers on free
# ports (atest/crosstalk proves they never see each other's mail). PabotLib on a
# free port too, so that parallel `make atest` runs never collide either.
atest: venv tools
	PATH="$(abspath $(BIN)):$$PATH" pabot --processes 4 --pabotlibport 0 --outputdir $(RESULTS)/atest --pythonpath atest/resources \
		--consolewidth 100 --consolecolors off atest

# behave features; some steps send with swaks and curl.
features: venv tools
	$(BIN)/behave --format progress features

# Load, hostile input, faults and security: bounded here, ten times larger in `make stress`.
hard: venv
	$(BIN)/pytest -q -p no:cacheprovider hard

# aiosmtpd's own protocol tests (from its 1.4.6 sdist, fetched into .conformance/) against
# SMTPLibrary's protocol class, as it is and as the server builds each connection; the known
# differences, each with its reason, are in conformance/expected.txt. aiosmtpd's tests listen
# on the fixed port 8025: runs from several checkouts on one machine take turns.
PROTOCOL_CLASS := SMTPLibrary.core.smtp.aiosmtpd_engine.protocol:CaptureSMTP
TAKE_TURNS := flock /tmp/smtplibrary-conformance-8025.lock
conformance: venv
	SMTPLIBRARY_CONFORMANCE_CLASS=$(PROTOCOL_CLASS) $(TAKE_TURNS) $(BIN)/python conformance/run.py .conformance -q
	SMTPLIBRARY_CONFORMANCE_CLASS=templated:TemplatedCaptureSMTP $(TAKE_TURNS) $(BIN)/python conformance/run.py .conformance -q test_smtp.py

stress: venv
	SMTPLIBRARY_STRESS=1 $(BIN)/pytest -q -p no:cacheprovider hard

# Known vulnerabilities in the runtime dependencies (reports, without failing, when offline).
audit: venv
	$(BIN)/python .ci/audit.py

docs: venv
	$(BIN)/python docs/generate.py

test: lint utest itest atest features hard conformance audit
	@echo "All tests passed."

# The sign-up example: an application that mails a verification link,
# checked by a Robot suite and by a behave feature. The retry example: an
# application that tries again when the server refuses for now. The help desk example: an
# application that reads mail over IMAP, turns it into tickets and marks it read.
demo: venv
	$(BIN)/robot --outputdir $(RESULTS)/demo --consolewidth 100 examples/signup/signup.robot examples/retry/retry.robot \
		examples/helpdesk/helpdesk.robot
	cd examples/signup && ../../$(BIN)/behave --format progress features
	cd examples/retry && ../../$(BIN)/behave --format progress features
	cd examples/helpdesk && ../../$(BIN)/behave --format progress features
	@echo
	@echo "Robot log: $(abspath $(RESULTS)/demo/log.html)"

# Performance, side by side with bare aiosmtpd and postfix's smtp-sink (C):
# prints the table and writes docs/performance.md. Installs the uvloop extra
# (so both event loops are measured) and unpacks postfix's smtp-source and
# smtp-sink into .bench-tools/ (nothing of postfix is installed or started).
$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,uvloop]'
	touch $@

bench: $(VENV)/.bench-installed
	./bench/get-postfix-tools
	PYTHONPATH=. $(BIN)/python -m bench

clean:
	rm -rf $(RESULTS) .pytest_cache build *.egg-info .conformance
