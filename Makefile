.PHONY: help install test check lint typecheck bench serve build
help:      ## this list
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*##/\t/'
install:   ## .venv with the project and its test/bench extras
	EXTRAS=test,bench bash -c 'source scripts/_venv.sh'
build:     ## build the graph into build/current
	.venv/bin/cstograph build
serve:     ## build and serve on 127.0.0.1:8000
	bash scripts/run
test:      ## the README's test command (includes ruff and mypy: tests/test_quality.py)
	bash scripts/test
lint:      ## ruff
	.venv/bin/python -m ruff check src tests bench scripts
typecheck: ## mypy (strict)
	.venv/bin/python -m mypy src
bench:     ## benchmarks (print figures)
	.venv/bin/python -m pytest -m slow -q; for b in bench/*.py; do .venv/bin/python $$b; done
check:     ## lint, typecheck, then the tests (scripts/check)
	bash scripts/check
