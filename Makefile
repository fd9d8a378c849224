# Two commands do everything on a fresh machine with Python 3.11:
#   make report   set up .venv and build the HTML reports (reports/)      [the main job]
#   make test     set up .venv (+ .venv-mpl310) and run the whole test suite
#   make lab      open the notebooks in JupyterLab (as root too: --allow-root is added only then)
#   make classroom  student copies (no solutions) and teacher copies (+ guide) in classroom/
# Options: make report CORPUS=path/to/corpus   SAMPLE=1000 (stratified sample of the corpus)
#          WITH_CODE=1 (code kept in the reports)   LAB_ARGS="--no-browser --port 8899"
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
MPL310 := .venv-mpl310
CORPUS ?=
SAMPLE ?=
WITH_CODE ?=
LAB_ARGS ?=

.PHONY: setup report test lab classroom bench system-deps clean

$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	@touch $@

# Dask (optional extra: the same tables on a cluster); make test installs it so its tests run.
$(BIN)/.dask-installed: requirements-dask.txt $(BIN)/.installed
	$(BIN)/python -m pip install -q -r requirements-dask.txt
	@touch $@

$(MPL310)/.installed: tests/requirements-mpl310.txt
	@test -x $(MPL310)/bin/python || $(PYTHON) -m venv $(MPL310)
	$(MPL310)/bin/python -m pip install -q --upgrade pip
	$(MPL310)/bin/python -m pip install -q -r tests/requirements-mpl310.txt
	@touch $@

setup: $(BIN)/.installed

system-deps:
	@bash scripts/install_system_deps.sh $(if $(BROWSER),--with-browser)

report: system-deps setup
	$(BIN)/python -m arabnews.report $(if $(CORPUS),--corpus "$(CORPUS)") $(if $(SAMPLE),--sample $(SAMPLE)) $(if $(WITH_CODE),--with-code)

test: setup $(BIN)/.dask-installed $(MPL310)/.installed
	@$(MAKE) --no-print-directory system-deps BROWSER=1
	$(BIN)/python -m pytest

lab: setup
	@bash scripts/lab.sh $(BIN)/jupyter $(LAB_ARGS)

classroom: setup
	$(BIN)/python -m arabnews.classroom

bench: setup
	$(BIN)/python benchmarks/bench_counting.py
	$(BIN)/python benchmarks/bench_plot_labels.py
	$(BIN)/python benchmarks/bench_cleaning.py
	$(BIN)/python benchmarks/bench_tokens.py
	$(BIN)/python benchmarks/bench_entities.py
	$(BIN)/python benchmarks/bench_report.py
	$(MAKE) --no-print-directory $(BIN)/.dask-installed && $(BIN)/python benchmarks/bench_dask.py

clean:
	rm -rf reports reports-* classroom .pytest_cache benchmarks/data
