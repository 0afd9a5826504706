# Two commands: `make demo` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE := examples/jilin-2002
OUT := public

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml examples/signage-publisher/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# the example third-party publisher, installed as a vendor's package would be
	$(PY) -m pip install --quiet --no-deps -e examples/signage-publisher
	touch $(STAMP)

AS_OF := 2002-12-31T18:00:00+08:00

demo: $(STAMP)
	$(PY) -m govdisclosure validate $(EXAMPLE)
	# the audit exits 1 on error-level findings: the example plants some on purpose
	-$(PY) -m govdisclosure audit $(EXAMPLE) --as-of 2002-12-31
	$(PY) -m govdisclosure publish $(EXAMPLE) --out $(OUT) --as-of $(AS_OF)
	$(PY) -m govdisclosure ledger verify --out $(OUT)
	@echo
	@echo "Published into $(OUT)/: feeds in $(OUT)/feeds/, the portal in $(OUT)/site/, kiosk bundles"
	@echo "in $(OUT)/kiosk/bags/, press materials in $(OUT)/news/, OCDS packages in $(OUT)/ocds/, webhook"
	@echo "documents in $(OUT)/webhook/ (no endpoint configured: nothing is pushed)."
	@echo "Look at it with: $(PY) -m govdisclosure serve $(OUT)   (then open http://127.0.0.1:8000/site/zh-CN/index.html)"

test: $(STAMP)
	$(PY) -m ruff check src tests
	$(PY) -m mypy
	$(PY) -m pytest --cov --cov-report=term

bench: $(STAMP)
	$(PY) bench/run.py load

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .coverage
