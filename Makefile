# The two commands the README names: `make dataset` builds the release into dist/, `make test` runs the tests.
# Both create the virtual environment from requirements.lock when it is missing or out of date. `make ui` starts
# the Dagster UI on the instance `make dataset` records its runs in.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: dataset test ui venv lock clean-venv

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d): set PYTHON=/path/to/python3.11" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=$(CURDIR)/requirements.lock $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	PIP_CONSTRAINT=$(CURDIR)/requirements.lock $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

dataset: $(STAMP)
	$(BIN)/python -m pipeline release --seeds seeds --dist dist
	cp dist/latest/CITATION.cff CITATION.cff

test: $(STAMP)
	$(BIN)/python -m pytest

# The Dagster UI on the instance the command line uses (pipeline/instance.py): DAGSTER_HOME, build/dist/dagster
# unless set; its folder and dagster.yaml are created first when missing, as the command line does.
ui: $(STAMP)
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/build/dist/dagster} $(BIN)/python -c \
	  'import os, pathlib, pipeline.instance as i; i.prepare_home(pathlib.Path(os.environ["DAGSTER_HOME"]))'
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/build/dist/dagster} DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true $(BIN)/dagster dev -m pipeline.definitions -h 127.0.0.1

lock: $(STAMP)
	{ echo "# Exact versions of every package the pipeline, its tests and its build use (Python 3.11)."; \
	  echo "# Regenerate with: make lock   (after changing dependencies in pyproject.toml)"; \
	  $(BIN)/python -m pip freeze --all --exclude-editable | grep -v -i '^congress-reports-dataset' | grep -v '^pip=='; } > requirements.lock

clean-venv:
	rm -rf $(VENV)
