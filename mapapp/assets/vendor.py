"""Front-end libraries served by the app itself: XStatic packages and npm packages in node_modules.

Cache headers come from mapapp/assets: versioned URLs (``?v=<content hash>``) are immutable,
others are revalidated.

Leaflet's ES module build (``leaflet-src.esm.js``, which the scripts import) exists only
unminified: 109 KB compressed against 42 KB for the minified classic build. It is served minified
(comments and whitespace removed by rjsmin, its licence header kept), made once per content
version under ``var/vendor/`` and sent like any other file.
"""
import functools
import hashlib
import os
import re
from pathlib import Path

import rjsmin
from flask import Blueprint, abort, send_file, send_from_directory

from mapapp.config import project_dir, var_dir

MINIFIED_ON_SERVING = {"leaflet-src.esm.js"}
LICENCE_HEADER = re.compile(r"/\*\s*@preserve.*?\*/", re.DOTALL)

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


def leaflet_dir() -> Path:
    from xstatic.pkg import leaflet as package

    return Path(package.BASE_DIR)


def exifr_dir() -> Path:
    """The exifr builds installed by ``npm ci`` (package.json); reads photo EXIF in the browser."""
    return project_dir() / "node_modules" / "exifr" / "dist"


def markercluster_dir() -> Path:
    """Leaflet.markercluster from ``npm ci``: groups overlapping pins, spiderfies identical ones."""
    return project_dir() / "node_modules" / "leaflet.markercluster" / "dist"


def protomaps_dir() -> Path:
    """protomaps-leaflet from ``npm ci``: draws the self-hosted vector basemap (mapapp/basemap)."""
    return project_dir() / "node_modules" / "protomaps-leaflet" / "dist"


def minified_copy(source: Path) -> Path:
    """A minified copy of the script ``source`` under var/vendor, named by the source's hash."""
    info = source.stat()
    return _minified(str(source), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=16)
def _minified(path: str, _mtime_ns: int, _size: int) -> Path:
    """Make (once per version of the file) and return the minified copy of ``path``."""
    source = Path(path)
    code = source.read_text(encoding="utf-8")
    digest = hashlib.sha256(code.encode()).hexdigest()[:16]
    target = var_dir() / "vendor" / f"{digest}-{source.name}"
    if not target.exists():
        header = LICENCE_HEADER.search(code)
        minified = (header.group(0) + "\n" if header else "") + rjsmin.jsmin(code)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        partial.write_text(minified, encoding="utf-8")
        partial.replace(target)
    return target


@bp.get("/leaflet/<path:filename>")
def leaflet(filename):
    if filename in MINIFIED_ON_SERVING:
        return send_file(minified_copy(leaflet_dir() / filename), mimetype="text/javascript")
    return send_from_directory(leaflet_dir(), filename)


@bp.get("/exifr/<path:filename>")
def exifr(filename):
    dist = exifr_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


@bp.get("/markercluster/<path:filename>")
def markercluster(filename):
    dist = markercluster_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


@bp.get("/protomaps/<path:filename>")
def protomaps(filename):
    dist = protomaps_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


def _mimetype(filename: str) -> str | None:
    """Module scripts need a JavaScript type; Python's table may not know ``.mjs``."""
    return "text/javascript" if filename.endswith((".js", ".mjs")) else None
