# mapapp for those who deploy with containers: gunicorn serving the app, PostGIS elsewhere
# (see compose.yaml). Built from the checkout: `docker build -t mapapp .`
# Not built in the project's CI; see README, "Containers".

# Browser-side packages (exifr) from package-lock.json; only node_modules is kept.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MAPAPP_VAR_DIR=/data \
    MAPAPP_BIND=0.0.0.0:8000

# postgresql-client: pg_dump/pg_restore 15 for `mapapp backup` / `mapapp restore`
# (the compose file's PostGIS is 15; the tools must be at least the server's version).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/mapapp --uid 10001 mapapp \
    && mkdir -p /data/uploads && chown -R mapapp:mapapp /data

WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir mapapp && touch mapapp/__init__.py \
    && pip install -e . \
    && rm -rf mapapp mapapp.egg-info
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
# Editable install: one copy of the package, so the compiled catalogues, templates, static
# files and migrations are all found next to pyproject.toml (mapapp/config.py project_dir).
# The code stays root-owned and read-only for the app; its state lives in /data.
RUN pip install --no-deps -e . \
    && python -c "from mapapp.i18n.cli import compile_catalogues; compile_catalogues()"

USER mapapp
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "mapapp:create_app()"]
