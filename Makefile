# Two commands (see README):  make lab   — work in JupyterLab
#                             make test  — check everything
# Both create the virtual environment in .venv/ first if it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root (containers, CI) unless told so.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)
LAB_ARGS ?=
# Same results everywhere: fixed hash seed; the notebooks' own inline plotting backend.
export PYTHONHASHSEED := 0
unexport MPLBACKEND

.PHONY: help install lab run test lint nav bench glossary book browser clean distclean

help:
	@echo "make lab        start JupyterLab with notebook 01 open (sets everything up first)"
	@echo "make test       unit tests + strict nbval over every notebook"
	@echo "make install    only create/update the environment in .venv/"
	@echo "make run        re-execute every notebook in a fresh kernel and save its outputs"
	@echo "make lint       ruff over helpers/, tests/, scripts/"
	@echo "make nav        rewrite the navigation cells of the notebooks"
	@echo "make bench      time helpers.segment against bare jieba (prints figures)"
	@echo "make glossary   regenerate docs/glossary.md from the vocabulary"
	@echo "make book       static HTML site of the notebooks and docs in _build/html/"
	@echo "make browser    install Chromium + ChromeDriver for the book test (Debian/Ubuntu, root)"
	@echo "make clean      remove caches and outputs/  (make distclean also removes .venv/)"

install: $(STAMP)

# Re-runs whenever the pinned versions or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python 3.11 or newer is needed, found {v.major}.{v.minor}. Install it and run: make PYTHON=python3.12")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -c 'import helpers; print("Chinese font:", helpers.font_name())'
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(ROOT_FLAG) $(LAB_ARGS) notebooks/01_reading.ipynb

run: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py

test: $(STAMP) browser
	$(BIN)/ruff check helpers tests scripts benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check helpers tests scripts benchmarks

nav: $(STAMP)
	$(BIN)/python scripts/navigation.py

bench: $(STAMP)
	$(BIN)/python benchmarks/segment.py

glossary: $(STAMP)
	$(BIN)/python scripts/make_glossary.py

book: $(STAMP)
	$(BIN)/python scripts/build_book.py

# The book test opens every page in headless Chromium. Installed when possible
# (Debian/Ubuntu as root, e.g. containers and CI); elsewhere the test is skipped
# with a message saying how to install it, and `make test` goes on.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the book test (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
			|| echo "Could not install Chromium: the book's browser test will be skipped."; \
	else \
		echo "Chromium not found and cannot install it here (needs root and apt-get):"; \
		echo "the book's browser test will be skipped. Install chromium and chromedriver to run it."; \
	fi

clean:
	rm -rf outputs _build .cache .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
