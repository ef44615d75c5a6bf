# Two commands (see README):  make lab   — work in JupyterLab
#                             make test  — check everything
# Both create the virtual environment in .venv/ first if it is missing. `make lab`
# installs what the notebooks need (requirements.txt); `make test` adds the
# maintainers' tools (requirements-dev.txt). Neither installs system packages.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# JupyterLab refuses to run as root (containers, CI) unless told so.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)
LAB_ARGS ?=
# The folder JupyterLab shows (its notebooks/01_reading.ipynb opens first).
LAB_ROOT ?= .
LINTED := helpers tests scripts benchmarks notebooks conftest.py
# Same results everywhere: fixed hash seed; the notebooks' own inline plotting backend.
export PYTHONHASHSEED := 0
unexport MPLBACKEND

CORPUS ?= seeds
OUT ?= outputs/appendix
GROUP_BY ?= period

.PHONY: help install install-dev lab lab-zh run test lint nav zh appendix bench bench-scale glossary exercises book browser clean distclean

help:
	@echo "make lab        start JupyterLab with notebook 01 open (sets everything up first)"
	@echo "make lab-zh     the same, with the Chinese edition's notebook 01 (中文版)"
	@echo "make test       lint, unit tests, docstring examples, strict nbval over every notebook"
	@echo "make install    only create/update the learners' environment in .venv/"
	@echo "make install-dev  add the maintainers' tools (tests, linter, book) to .venv/"
	@echo "make run        re-execute every notebook in a fresh kernel and save its outputs"
	@echo "make appendix CORPUS=folder [OUT=outputs/appendix] [GROUP_BY=period]"
	@echo "                a research appendix: every table, figure and hash, rebuilt from the raw files"
	@echo "make lint       ruff over helpers/, tests/, scripts/, benchmarks/ and the notebooks"
	@echo "make nav        rewrite the navigation cells of the notebooks, both editions"
	@echo "make zh         rebuild the Chinese edition (notebooks/zh/) from its translation files"
	@echo "make bench      time helpers.segment against bare jieba (prints figures)"
	@echo "make bench-scale  the whole pipeline on 100, 300, 1000 synthetic reports (a few minutes)"
	@echo "make glossary   regenerate docs/glossary.md from the vocabulary"
	@echo "make exercises  regenerate the exercises' answer fingerprints from scripts/exercise_key.py"
	@echo "make book       static HTML site of the notebooks and docs in _build/html/"
	@echo "make browser    install Chromium + ChromeDriver for the book test (Debian/Ubuntu, root)"
	@echo "make clean      remove outputs/, build files and the segmentation cache (distclean: .venv/ too)"

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Re-runs whenever the pinned versions or the package metadata change.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"Python 3.11 or newer is needed, found {v.major}.{v.minor}. Install it and run: make PYTHON=python3.12")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	$(BIN)/python -c 'import helpers.fonts; print("Chinese font:", helpers.fonts.font_name())'
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements-cluster.txt
	$(PIP) -r requirements-dev.txt
	@touch $(DEV_STAMP)

appendix: $(STAMP)
	$(BIN)/python scripts/appendix.py --corpus "$(CORPUS)" --out "$(OUT)" --group-by "$(GROUP_BY)"

# helpers.lab: the Chinese font for JupyterLab and notebook 01 as the first page, set in
# .venv/etc/jupyter (see helpers/lab.py). LAB_ARGS passes options to JupyterLab, e.g.
# make lab LAB_ARGS="--no-browser --port=8890 --IdentityProvider.token=choose-one"
lab: $(STAMP)
	@$(BIN)/python -m helpers.lab
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ROOT_FLAG) $(LAB_ARGS)

# The same, opening the Chinese edition's notebook 01 (中文版).
lab-zh: $(STAMP)
	@$(BIN)/python -m helpers.lab
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ROOT_FLAG) \
		--LabApp.default_url=/lab/tree/notebooks/zh/01_reading.ipynb $(LAB_ARGS)

run: $(DEV_STAMP)
	$(BIN)/python scripts/run_notebooks.py

test: $(DEV_STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check $(LINTED)

nav: $(DEV_STAMP)
	$(BIN)/python scripts/navigation.py
	$(BIN)/python scripts/zh_edition.py

# The Chinese edition, notebooks/zh/, from the English notebooks and
# notebooks/zh/translations/*.json; then `make run` executes the changed cells.
zh: $(DEV_STAMP)
	$(BIN)/python scripts/zh_edition.py

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/segment.py

bench-scale: $(DEV_STAMP)
	$(BIN)/python benchmarks/scale.py

glossary: $(DEV_STAMP)
	$(BIN)/python scripts/make_glossary.py

exercises: $(DEV_STAMP)
	$(BIN)/python scripts/make_exercises.py

book: $(DEV_STAMP)
	$(BIN)/python scripts/build_book.py

# The book test opens every page in headless Chromium, from Debian's packages. CI
# installs it with this target (.ci/run); `make test` never installs system packages:
# without Chromium it skips the browser test and says how to install it.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the book test (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "Cannot install Chromium here (needs root and apt-get). Install chromium and"; \
		echo "chromedriver with your system's package manager."; exit 1; \
	fi

clean:
	rm -rf outputs _build .pytest_cache .ruff_cache
	@if [ -x $(BIN)/python ]; then $(BIN)/python -c 'import helpers; print("cache files removed:", helpers.clear_cache())'; fi
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
