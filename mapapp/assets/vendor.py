"""Front-end libraries served by the app itself: XStatic packages and npm packages in node_modules.

Cache headers come from mapapp/assets: versioned URLs (``?v=<content hash>``) are immutable,
others are revalidated.

Leaflet's ES module build (``leaflet-src.esm.js``, which the scripts import) exists only
unminified: 109 KB compressed against 42 KB for the minified classic build. It is served minified
by terser (npm, installed with the other front-end packages: compressed and names mangled, 37 KB
with Brotli, its licence header kept), made once per content version under ``var/vendor/`` and
sent like any other file. Without node or terser, rjsmin strips comments and whitespace (52 KB).
"""
import functools
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import rjsmin
from flask import Blueprint, abort, send_file, send_from_directory

from mapapp.config import project_dir, var_dir

MINIFIED_ON_SERVING = {"leaflet-src.esm.js"}
LICENCE_HEADER = re.compile(r"/\*\s*@preserve.*?\*/", re.DOTALL)
TERSER_TIMEOUT_S = 120

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
    """Make (once per version of the file and minifier) and return the minified copy of ``path``."""
    source = Path(path)
    code = source.read_text(encoding="utf-8")
    digest = hashlib.sha256(code.encode()).hexdigest()[:16]
    terser = _terser()
    target = var_dir() / "vendor" / f"{digest}-{'terser' if terser else 'rjsmin'}-{source.name}"
    if not target.exists():
        minified = _terse(terser, source) if terser else None
        if minified is None:
            header = LICENCE_HEADER.search(code)
            minified = (header.group(0) + "\n" if header else "") + rjsmin.jsmin(code)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        partial.write_text(minified, encoding="utf-8")
        partial.replace(target)
    return target


def _terser() -> list[str] | None:
    """The command that runs terser from node_modules, or None when node or terser is missing."""
    script = project_dir() / "node_modules" / "terser" / "bin" / "terser"
    node = shutil.which("node") or shutil.which("nodejs")
    return [node, str(script)] if node and script.is_file() else None


def _terse(command: list[str], source: Path) -> str | None:
    """``source`` as an ES module compressed and with its local names mangled; None if terser failed."""
    try:
        done = subprocess.run([*command, str(source), "--module", "--compress", "--mangle",
                               "--comments", "/@preserve|@license/"],
                              capture_output=True, text=True, timeout=TERSER_TIMEOUT_S, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


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
