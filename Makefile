# Two entry points for a fresh machine (see README):
#   make serve  - install, prepare the offline model, index the demo corpus, start troly
#   make test   - install (with test tools, system packages and a headless browser) and run the tests
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages troly uses at run time (OCR, legacy office formats), one group a line.
RUNTIME_APT := tesseract-ocr tesseract-ocr-vie
RUNTIME_APT += antiword catdoc
# Debian packages only the tests need (browser, database servers), one group a line.
TEST_APT := chromium chromium-driver
TEST_APT += fonts-dejavu-core
TEST_APT += postgresql

.PHONY: install install-test system system-test browser serve test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch first, pinned, so pip takes the machine's CPU build instead of a multi-GB CUDA one.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) system

# Installs the missing Debian packages of a list (needs root; without it, says what is missing
# and the tests that need them are skipped with the reason).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 $$missing >/dev/null; \
	  else echo "not installed (needs root):$$missing"; fi; \
	fi
endef

system:
	$(call apt_install,$(RUNTIME_APT))

system-test:
	$(call apt_install,$(TEST_APT))

browser: system-test

serve: install
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/troly serve

test: install system-test
	GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

bench: install
	$(BIN)/troly bench

clean:
	rm -rf $(VENV) data .cache .pytest_cache
