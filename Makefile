# mapapp: `make run` serves the app, `make test` runs every test. Both set up what they need.
VENV    ?= .venv
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 5000
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PO      := $(wildcard mapapp/translations/*/LC_MESSAGES/messages.po)
APT     := DEBIAN_FRONTEND=noninteractive apt-get -y -q

.PHONY: run test install translations messages db data browser gdal deploy-tools shared-state pg-stop clean bench serve \
	install-server upgrade-server

run: data
	$(BIN)/mapapp run --host $(HOST) --port $(PORT)

test: install browser gdal deploy-tools shared-state
	$(BIN)/mapapp pg ensure
	$(BIN)/pytest

# mapapp against pygeoapi, bare SQL and ogr2ogr on N synthetic findings (not part of `make test`);
# BENCH_ARGS="--n 100000 --skip lighthouse" etc., see `.venv/bin/python bench/run.py --help`.
bench: install
	$(BIN)/mapapp pg ensure
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Production: gunicorn (gunicorn.conf.py) against DATABASE_URL; without it, the embedded cluster.
serve: install
	@if [ -z "$$DATABASE_URL" ]; then \
		echo "DATABASE_URL is not set: serving from the embedded PostGIS cluster under var/ (mapapp pg ensure)"; \
		$(BIN)/mapapp pg ensure; \
	fi
	$(BIN)/mapapp db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py 'mapapp:create_app()'

install: $(STAMP) translations

# The compiled catalogues (.mo, not committed), rebuilt when a .po file changes. Babel's own
# commands: pybabel stops with an error when a translation's placeholders differ from the German.
LOCALES := mapapp/translations
translations: $(PO:.po=.mo)

$(PO:.po=.mo) &: $(PO) $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALES) -D messages --statistics

# After changing texts: collect the marked German texts (Python, templates, the scripts' texts in
# mapapp/i18n/js_strings.py) and merge them into every language's messages.po.
messages: $(STAMP)
	$(BIN)/pybabel extract -F mapapp/babel.cfg -k lazy_gettext -k 'lazy_pgettext:1c,2' \
		--add-comments=TRANSLATORS: --strip-comments --sort-by-file -w 100 \
		--project=mapapp --copyright-holder=mapapp -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages \
		--no-fuzzy-matching --ignore-obsolete -w 100

$(STAMP): pyproject.toml $(wildcard package-lock.json)
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { $(APT) update && $(APT) install python3-venv; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	if [ -f package.json ]; then \
		command -v npm >/dev/null 2>&1 || { $(APT) update && $(APT) install npm; }; \
		npm ci --omit=dev --no-audit --no-fund; \
	fi
	touch $@

db: install
	$(BIN)/mapapp pg ensure
	$(BIN)/mapapp db upgrade

data: db
	$(BIN)/mapapp districts load-default
	$(BIN)/mapapp demo load

browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT) update && $(APT) install chromium; }
	@/usr/bin/python3 -c 'import osgeo_utils.samples.validate_gpkg' 2>/dev/null || { $(APT) update && $(APT) install python3-gdal; }

# Redis (one rate-limit budget for several workers) and PgBouncer (transaction pooling) for the
# shared-state tests (tests/auth/test_shared_rate_limit.py, tests/test_pgbouncer.py; docs/scaling.md).
shared-state:
	@command -v redis-server >/dev/null 2>&1 || { $(APT) update && $(APT) install redis-server; }
	@test -x /usr/sbin/pgbouncer || { $(APT) update && $(APT) install pgbouncer; }

# GDAL's own client (ogrinfo) for the tests of the OGC API - Features feed (tests/ogc).
gdal:
	@command -v ogrinfo >/dev/null 2>&1 || { $(APT) update && $(APT) install gdal-bin; }

# The deployment tests (tests/deploy): Caddy, NSS's certutil (to trust Caddy's CA in Chromium),
# rsync (the installer copies the tree with it) and systemd-analyze (to verify the units).
deploy-tools:
	@command -v caddy >/dev/null 2>&1 || { $(APT) update && $(APT) install caddy; }
	@command -v certutil >/dev/null 2>&1 || { $(APT) update && $(APT) install libnss3-tools; }
	@command -v rsync >/dev/null 2>&1 || { $(APT) update && $(APT) install rsync; }
	@command -v systemd-analyze >/dev/null 2>&1 || { $(APT) update && $(APT) install systemd; }

# A Debian 12 server with a domain: PostgreSQL + PostGIS, Redis, Caddy (HTTPS), systemd units
# (docs/deployment.md). As root: make install-server DOMAIN=begehung.example.de EMAIL=admin@example.de
install-server:
	deploy/install-server.sh $(if $(DOMAIN),--domain $(DOMAIN)) $(if $(EMAIL),--email $(EMAIL))

# Pull, copy, migrate, reload gunicorn gracefully (no request lost).
upgrade-server:
	deploy/upgrade.sh

pg-stop:
	$(BIN)/mapapp pg stop

clean: pg-stop
	rm -rf $(VENV) var
