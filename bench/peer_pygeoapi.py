"""The peer: pygeoapi serving the same ``findings`` table as an OGC API Features collection.

pygeoapi lives in its own virtual environment under ``var/bench/`` (installed on first
use, never part of the project), configured by a generated YAML file and served by
gunicorn with the same worker count as mapapp. It publishes the compact properties the
map needs (category, status), like mapapp's findings mode.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bench import servers

PACKAGES = ["pygeoapi", "gunicorn", "psycopg2-binary", "SQLAlchemy", "geoalchemy2"]
COLLECTION = "findings"

CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  pretty_print: false
  limits: {{default_items: 10000, max_items: {max_items}}}
  map: {{url: "http://127.0.0.1/{{z}}/{{x}}/{{y}}.png", attribution: none}}
logging:
  level: ERROR
metadata:
  identification:
    title: mapapp bench peer
    description: the benchmark's findings
    keywords: [findings]
    keywords_type: theme
    terms_of_service: none
    url: http://127.0.0.1:{port}
  license: {{name: CC-BY 4.0, url: "http://127.0.0.1/licence"}}
  provider: {{name: mapapp bench, url: "http://127.0.0.1/"}}
  contact: {{name: mapapp bench, position: none, address: none, city: none, stateorprovince: none,
            postalcode: none, country: none, phone: none, fax: none, email: none@example.org,
            url: "http://127.0.0.1/", hours: none, instructions: none, role: pointOfContact}}
resources:
  {collection}:
    type: collection
    title: Findings
    description: synthetic findings
    keywords: [findings]
    extents:
      spatial: {{bbox: [6.6, 51.3, 6.9, 51.6], crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    providers:
      - type: feature
        name: PostgreSQL
        data:
          host: "{host}"
          port: {db_port}
          dbname: "{dbname}"
          user: "{user}"
          password: "{password}"
          search_path: [public]
        id_field: id
        table: findings
        geom_field: geom
        properties: [category_slug, status]
"""


def venv_dir(var: Path) -> Path:
    return var / "pygeoapi-venv"


def ensure_installed(var: Path) -> Path:
    """Create the peer's virtual environment (once) and return its bin directory."""
    venv = venv_dir(var)
    bin_dir = venv / "bin"
    if not (bin_dir / "gunicorn").exists() or not (bin_dir / "pygeoapi").exists():
        print("installing pygeoapi into its own environment …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *PACKAGES], check=True)
    return bin_dir


def write_config(var: Path, libpq_url: str, port: int, max_items: int) -> tuple[Path, Path]:
    """Write the YAML configuration and its OpenAPI document; return both paths."""
    parts = urlsplit(libpq_url)
    config = var / "pygeoapi-config.yml"
    config.write_text(CONFIG.format(
        port=port, max_items=max_items, collection=COLLECTION, host=parts.hostname, db_port=parts.port or 5432,
        dbname=parts.path.lstrip("/"), user=parts.username or "", password=parts.password or "",
    ))
    openapi = var / "pygeoapi-openapi.yml"
    bin_dir = venv_dir(var) / "bin"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi), "PATH": str(bin_dir)}
    subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return config, openapi


def start(var: Path, libpq_url: str, workers: int, max_items: int, threads: int = 1) -> servers.Server:
    """Install (once), configure and start pygeoapi under gunicorn."""
    bin_dir = ensure_installed(var)
    port = servers.free_port()
    config, openapi = write_config(var, libpq_url, port, max_items)
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    argv = [str(bin_dir / "gunicorn"), "-c", str(servers.empty_config(var)), *servers.worker_args(workers, threads),
            "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "pygeoapi.flask_app:APP"]
    return servers.start("pygeoapi", argv, env, port, f"/collections/{COLLECTION}?f=json", var)


def items_path(bbox: tuple[float, float, float, float], limit: int) -> str:
    """The OGC API Features request for the findings in ``bbox``."""
    return f"/collections/{COLLECTION}/items?f=json&limit={limit}&bbox=" + ",".join(f"{v:.6f}" for v in bbox)
