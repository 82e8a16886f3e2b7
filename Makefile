# How Neural Networks Learn -- the course's commands (see README.md).
#
##   make course     set up .venv (first time) and open the course in JupyterLab
##   make test       set up/update .venv if needed and run the whole test suite
##   make generate   instructor: rebuild release/ and solutions/ from source/
##   make grade      instructor: grade all submissions (submitted/, LMS zips) -> grades.csv
##   make lms        instructor: Canvas/Moodle grade import CSV and feedback zips (LMS=, MAPPING=)
##   make bench      install the benchmark extras and run benchmarks/bench_*.py
##   make screenshots  regenerate the README pictures in docs/screenshots/
##   make report     instructor: a class report per assignment from the graded submissions -> report/
#
# Variables: PYTHON (interpreter for the venv, default python3), LAB_ARGS (extra
# JupyterLab arguments, e.g. LAB_ARGS="--no-browser --allow-root"), PYTEST_ARGS
# (extra pytest arguments, e.g. PYTEST_ARGS="-k grading -x"), BENCH_ARGS (arguments
# for every benchmark script, e.g. BENCH_ARGS=--quick). make grade: ASSIGNMENT (one or
# more names, default all), ZIP (LMS zip files to collect first), JOBS (submissions graded
# at once, default one per CPU core), FORCE=1 (grade again what was graded before),
# GRADE_ARGS (any other `coursegrade grade` arguments, e.g. GRADE_ARGS=--retry-failed).
# make report: ASSIGNMENT (as for make grade), REPORT_ARGS (any other `coursegrade report`
# arguments, e.g. REPORT_ARGS="--out /tmp/report").

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; older than requirements.txt or a pyproject.toml
# of the three editable packages means the environment must be brought up to date.
STAMP := $(VENV)/.course-installed
BENCH_STAMP := $(VENV)/.bench-installed
# Test-only packages (Playwright for the browser tests) live in tests/requirements.txt:
# `make test`, `make bench` and `make screenshots` install them, `make course` does not
# (a student never needs them, and the Playwright wheel is large).
TEST_STAMP := $(VENV)/.test-installed
LAB_ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=
ASSIGNMENT ?=
ZIP ?=
JOBS ?=
FORCE ?=
GRADE_ARGS ?=
REPORT_ARGS ?=

# nbgrader runs the `alembic` program and notebook kernels are started from this
# environment: put its bin/ first on PATH for every recipe.
export PATH := $(CURDIR)/$(BIN):$(PATH)
# The browser tests use Debian's chromium; Playwright must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help course test generate grade lms bench screenshots

# Prints the comment lines that start with '##' (the command list above).
help:
	@sed -n 's/^## *//p' $(firstword $(MAKEFILE_LIST))

$(STAMP): requirements.txt lib/pyproject.toml grading/pyproject.toml tools/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "The course needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) -V 2>&1). Try: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; exit 1; }
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@# Build matplotlib's font cache now: the first import on a fresh machine prints
	@# "Matplotlib is building the font cache" to stderr, which a notebook must not show.
	$(BIN)/python -c "import matplotlib.pyplot"
	@touch $@

# Jupyter refuses to run as root unless told to; containers and CI machines often are root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

course: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/release $(ROOT_FLAG) $(LAB_ARGS)

$(TEST_STAMP): tests/requirements.txt $(STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r tests/requirements.txt
	@touch $@

# pytest exits 5 when it collects no tests; make fails on any non-zero exit, so an
# empty run fails too. The browser tests (tests/browser, marker `browser`) are part of
# the run; leave them out with PYTEST_ARGS='-m "not browser"'.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

# README pictures: JupyterLab in headless chromium, one per solution notebook.
screenshots: $(TEST_STAMP)
	$(BIN)/python scripts/screenshots.py

generate: $(STAMP)
	$(BIN)/python scripts/generate.py

# One command grades everything: see README.md, "Grading", and `.venv/bin/python -m
# coursegrade grade --help`. Safe to re-run; unchanged graded submissions are skipped.
grade: $(STAMP)
	$(BIN)/python -m coursegrade grade $(ASSIGNMENT) $(addprefix --zip ,$(ZIP)) \
	  $(if $(JOBS),--jobs $(JOBS)) $(if $(filter-out 0 no false,$(FORCE)),--force) $(GRADE_ARGS)

# Grades and feedback for the LMS: make lms LMS=canvas MAPPING=lms_ids.csv (see README.md,
# "LMS export"; LMS_ARGS, e.g. "--missing blank", goes to `coursegrade lms`).
lms: $(STAMP)
	@if [ -z "$(LMS)" ] || [ -z "$(MAPPING)" ]; then \
	  echo "usage: make lms LMS=canvas|moodle MAPPING=FILE [LMS_ARGS=...]" >&2; exit 2; fi
	$(BIN)/python -m coursegrade lms $(LMS) --mapping $(MAPPING) $(LMS_ARGS)

$(BENCH_STAMP): benchmarks/requirements.txt $(TEST_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r benchmarks/requirements.txt
	@touch $@

bench: $(BENCH_STAMP)
	@shopt -s nullglob; scripts=(benchmarks/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks/bench_*.py to run" >&2; exit 1; fi; \
	for script in "$${scripts[@]}"; do \
	  echo "== $$script"; $(BIN)/python "$$script" $(BENCH_ARGS) || exit $$?; \
	done

# The class report (README.md, "Class report"): per assignment report/<assignment>.html and .csv,
# from what `make grade` left in autograded/ and grades.csv. Grades nothing itself.
.PHONY: report
report: $(STAMP)
	$(BIN)/python -m coursegrade report $(ASSIGNMENT) $(REPORT_ARGS)
