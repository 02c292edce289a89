# The pipeline: data/raw -> data/processed -> reports. `make` builds everything,
# `make test` runs every test; both set up what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp
RAW := $(shell find data/raw -type f 2>/dev/null | sort)
# The code each product depends on (docs/architecture.md): the dataset on the stages up to
# derive, the pipeline and the writer; the reports on the dataset, the notebooks and the
# code that draws and renders. Editing a figure re-renders the reports, not the dataset.
code_of = $(shell find $(addprefix src/helpers/,$(1)) -type f \( -name '*.py' -o -name '*.yaml' \) 2>/dev/null | sort)
DATASET_CODE := $(call code_of,core raw resolution build derive pipeline.py publish/package.py publish/readme.py)
REPORTS_CODE := $(call code_of,core derive present publish)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
PROCESSED := data/processed/datapackage.json

.PHONY: all setup data reports test test-fast lab bench clean-reports check version

all: data reports

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,share]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

$(SYSTEM_STAMP): scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	mkdir -p $(VENV) && touch $@

setup: $(STAMP) $(SYSTEM_STAMP)

# The processed dataset depends on every raw file and on the code that builds it.
$(PROCESSED): $(STAMP) $(RAW) $(DATASET_CODE)
	$(PY) -m helpers build
	$(PY) -m helpers readme

data: $(PROCESSED)

# `make check STRICT=1` fails on warnings too (helpers.build.lint), not only on problems.
check: $(STAMP)
	$(PY) -m helpers build --check $(if $(STRICT),--strict)

# `make version VERSION=1.1.0`: the CHANGELOG's "Unreleased" entry becomes 1.1.0, and
# dataset.yaml and CITATION.cff follow; then the data package is rebuilt with the version.
version: $(STAMP)
	test -n "$(VERSION)" || { echo "usage: make version VERSION=1.1.0"; exit 1; }
	$(PY) -m helpers version $(VERSION)
	$(PY) -m helpers build
	$(PY) -m helpers readme

# Every report, with reports/index.html (written last) as the file that stands for them.
reports/index.html: $(STAMP) $(SYSTEM_STAMP) $(PROCESSED) $(NOTEBOOKS) $(REPORTS_CODE)
	$(PY) -m helpers reports

reports: reports/index.html

# The whole suite (CI runs it); test-fast leaves out notebooks, kernels, reports and browsers.
test: setup
	$(PY) -m pytest -n 2

test-fast: $(STAMP)
	$(PY) -m pytest -n 2 -m "not integration"

# JupyterLab on the project: --allow-root when run as root (as the set-up is), a free port
# from 8888 (or LAB_PORT), and the URL to open printed once it answers (helpers.lab).
lab: $(STAMP)
	$(PY) -m helpers lab $(LAB_ARGS)

bench: setup data
	$(PY) bench/run.py

clean-reports:
	rm -rf reports/*.html reports/failed reports/.staging-*

# Sharing the dataset (docs/exports.md): a local read-only Datasette on 127.0.0.1:8001
# (SERVE_HOST=, SERVE_PORT= to change), the STIX and TimelineJS exports, the release zip.
.PHONY: serve exports release
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 8001

serve: $(STAMP) data
	$(PY) -m helpers serve --host $(SERVE_HOST) --port $(SERVE_PORT)

exports: $(STAMP) data
	$(PY) -m helpers export stix
	$(PY) -m helpers export timelinejs

release: $(STAMP) data
	$(PY) -m helpers export release
