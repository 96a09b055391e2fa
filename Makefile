# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: demo test lint check install bench bench-quick docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Install, lint the bundled sample catalogue and build its website into build/.
demo: $(STAMP)
	$(BIN)/svccat lint
	$(BIN)/svccat build --out build
	@echo
	@echo "The sample catalogue in ./catalogue passed svccat lint; its website is in build/."
	@echo "Open build/index.html in a browser, or run: $(BIN)/svccat serve   (http://127.0.0.1:8000/)"

## Install (Chromium and axe-core too, for the browser tests), then run ruff, mypy (strict)
## and the whole test suite.
test: $(STAMP)
	bash scripts/install-browser.sh
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

## Lint the sample catalogue and the flawed examples (the latter must fail).
check: $(STAMP)
	$(BIN)/svccat lint
	! $(BIN)/svccat lint --catalogue examples/flawed > /dev/null

## Regenerate the generated documentation (problem codes).
docs: $(STAMP)
	$(BIN)/python -m svccat.docgen problems > docs/problems.md
	$(BIN)/python -m svccat.docgen rules > docs/rules.md

## The benchmark of issue #7 at 1k, 10k (3 rounds) and 100k items (1 round; check-jsonschema,
## which takes about half an hour there, is left out at 100k): about half an hour on 2 cores once
## the catalogues are generated; installs Hugo and check-jsonschema first; writes
## benchmarks/RESULTS.md and benchmarks/results.svg.
bench: $(STAMP)
	bash benchmarks/install-tools.sh
	$(BIN)/python benchmarks/bench.py --sizes 1000 10000 100000 --runs 3 --check-jsonschema-runs 1 \
		--runs-large 1 --check-jsonschema-runs-large 0 --write benchmarks/RESULTS.md

## The same at 10k items only, check-jsonschema once (about 10 minutes): writes
## benchmarks/RESULTS-quick.md and benchmarks/RESULTS-quick.svg (a local look, not committed).
bench-quick: $(STAMP)
	bash benchmarks/install-tools.sh
	$(BIN)/python benchmarks/bench.py --sizes 10000 --check-jsonschema-runs 1 --write benchmarks/RESULTS-quick.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
