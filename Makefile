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

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_lint.py --items 1000 10000 --write benchmarks/RESULTS.md

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/bench_lint.py --items 2000

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
