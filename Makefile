# Homeward — every target creates .venv and installs what it needs when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := src/homeward/static/vendor/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test test-browser lint schema install assets messages clean bench system-packages

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	@pkg-config --exists icu-i18n 2>/dev/null && command -v g++ >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset && fc-list 2>/dev/null | grep -q DejaVuSans || $(MAKE) --no-print-directory system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# PyICU (cross-script transliteration) compiles against Debian's ICU; WeasyPrint (meeting-pack
# PDFs) needs Pango, HarfBuzz's subsetter and a font that draws Arabic (DejaVu Sans);
# poppler-utils renders a PDF page for a visual check. Installed when missing.
system-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null; \
	else \
	  echo "Homeward needs ICU headers to build PyICU and Pango for PDFs: install libicu-dev, pkg-config, g++, libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0 and fonts-dejavu-core (Debian/Ubuntu) and re-run." >&2; exit 1; \
	fi

# Front-end assets come from the npm registry at install time and are served by Homeward itself.
# The source maps and .woff files are copied too: collectstatic's manifest storage follows every
# sourceMappingURL and url() in the CSS and fails on a missing target.
assets: $(ASSETS)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf src/homeward/static/vendor && mkdir -p src/homeward/static/vendor/bootstrap src/homeward/static/vendor/fonts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.rtl.min.css src/homeward/static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js src/homeward/static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/css/bootstrap.rtl.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map src/homeward/static/vendor/bootstrap/
	cp node_modules/@fontsource/noto-sans-arabic/400.css node_modules/@fontsource/noto-sans-arabic/700.css src/homeward/static/vendor/fonts/
	mkdir -p src/homeward/static/vendor/fonts/files
	cp node_modules/@fontsource/noto-sans-arabic/files/*-400-normal.woff* node_modules/@fontsource/noto-sans-arabic/files/*-700-normal.woff* src/homeward/static/vendor/fonts/files/
	@touch $@

demo: install assets
	$(BIN)/homeward migrate --no-input
	$(BIN)/homeward collectstatic --no-input -v0
	$(BIN)/homeward seed_demo --if-empty $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	HOMEWARD_PRIVILEGED_WEBAUTHN=0 $(BIN)/homeward serve --bind $(HOST):$(PORT)

test: install assets
	$(BIN)/ruff check src tests bench
	$(BIN)/homeward makemigrations --check --dry-run
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install assets
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

schema: install
	$(BIN)/homeward spectacular --file openapi.json --format openapi-json --validate

messages: install
	cd src/homeward && ../../$(BIN)/homeward makemessages -l ar --no-obsolete --ignore 'static/*' --ignore 'core/demo/*' && ../../$(BIN)/homeward compilemessages -l ar

clean:
	rm -rf $(VENV) node_modules src/homeward/static/vendor

bench: install assets
	$(BIN)/python bench/foundation/run.py

# Matching: Homeward's matcher vs Splink on the cross-script set and FEBRL 3/4 (needs [bench]).
.PHONY: bench-matching
bench-matching: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	nice $(BIN)/python bench/matching/run.py --sizes 10000
