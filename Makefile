# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= out/demo

.PHONY: demo test test-fast fuzz lint typecheck bench chromium clean screenshots

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

# Debian's Chromium for the browser tests (no browser download; Playwright drives this binary).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: chromium missing and not root; browser tests will be skipped"; fi; }

demo: $(STAMP)
	@rm -f $(OUT)/demo.db
	$(VENV)/bin/rashomon analyze examples/corpus --out $(OUT) --db $(OUT)/demo.db
	@echo
	@cat $(OUT)/brief.md
	@echo
	@echo "Report: $(abspath $(OUT))/report.html"

test: $(STAMP) chromium
	$(PY) -m pytest

# Refresh the README's screenshots (docs/screenshots) from the browser tests.
screenshots: $(STAMP) chromium
	RASHOMON_SCREENSHOTS=docs $(PY) -m pytest tests/web/test_web.py

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow and not browser"

# The fuzzing suite at length (tests/test_fuzz.py with the hypothesis profile "fuzz": 400 examples a test,
# new ones every run); `make test` runs the same tests with the quick, derandomised profile.
fuzz: $(STAMP)
	RASHOMON_FUZZ_PROFILE=fuzz $(PY) -m pytest -m fuzz -p no:cacheprovider tests/test_fuzz.py

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy src

# Throughput against a bare spaCy pass, and peak memory (~5 min); growth with corpus size is opt-in:
# $(PY) benchmarks/throughput.py --growth 1000,10000 --corpus-stages 1000,10000 (see benchmarks/throughput.md)
BENCH_CORPUS ?= $(firstword $(wildcard ../shared/data/quotes/input.jsonl) examples/corpus)
bench: $(STAMP)
	$(PY) benchmarks/throughput.py $(BENCH_CORPUS)

clean:
	rm -rf $(VENV) out .pytest_cache
