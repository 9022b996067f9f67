"""Static assets in production: content-versioned URLs, cache headers, compression.

``url_for('static', filename='css/app.css')`` (and the vendor endpoints) yields
``/static/css/app.css?v=<hash of the file's content>``. A request carrying the current ``v``
is answered with a year-long ``immutable`` cache header: a changed file gets a new URL, so a
stale copy can never be used. A request without ``v`` (or with an old one) gets ``no-cache``:
the browser keeps the file but revalidates it with its ETag, a cheap 304.

ES modules are the exception: ``static/js/<page>/*.js`` import each other by relative path
(``import … from './x.js'``), which carries no ``v``. Giving the entry script a ``v`` would
let one module be loaded under two URLs (and run twice) when another module imports it, so
modules get no ``v`` and are always revalidated; the service worker keeps them offline. The
same holds for the vendor files they import by path (``VENDOR_MODULES``: Leaflet's ES module
build and the Leaflet.markercluster plugin, see static/js/shared/leaflet.js).

Compression (Flask-Compress): brotli or gzip for text (HTML, JSON, GeoJSON, JS, CSS, SVG,
XML) above a minimum size, never for images, archives, GeoPackages or vector tiles. Streamed
responses (exports) are compressed chunk by chunk as they are produced, not buffered.
"""
from __future__ import annotations

import functools
import hashlib
import os
import stat
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MODULE_SUFFIXES = (".js", ".mjs")
# Vendor files that static/js/shared/leaflet.js and markercluster.js import by path.
VENDOR_MODULES = {("vendor.leaflet", "leaflet-src.esm.js"), ("vendor.markercluster", "leaflet.markercluster.js")}
TEXT_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
    "application/javascript", "application/json", "application/geo+json",
    "application/manifest+json", "application/xml", "image/svg+xml",
]
COMPRESSION = {
    "COMPRESS_MIMETYPES": TEXT_TYPES,
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Flask-Compress leaves gzip out for streams by default; zlib streams gzip chunk by chunk fine.
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_STREAMS": True,  # files (send_file) and exports are streamed responses
    "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "vendor.leaflet", "vendor.exifr", "vendor.markercluster",
                                                "vendor.protomaps"],  # 304s
}


ASSET_ENDPOINTS = ("static", "vendor.leaflet", "vendor.exifr", "vendor.markercluster", "vendor.protomaps")


def asset_directories(app: Flask) -> dict[str, Path]:
    """The endpoints that serve files by ``filename``, and the directory each serves from."""
    from mapapp.assets.vendor import exifr_dir, leaflet_dir, markercluster_dir, protomaps_dir

    return {"static": Path(app.static_folder), "vendor.leaflet": leaflet_dir(), "vendor.exifr": exifr_dir(),
            "vendor.markercluster": markercluster_dir(), "vendor.protomaps": protomaps_dir()}


@functools.lru_cache(maxsize=4096)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    """Hash of one file version; keyed by its stat so a changed file is hashed again, once."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def content_version(directory: Path, filename: str) -> str | None:
    """Short content hash of ``directory/filename``, or None when there is no such file."""
    path = safe_join(str(directory), filename)
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return _digest(path, info.st_mtime_ns, info.st_size)


def versioned(endpoint: str, filename: str) -> bool:
    """Whether URLs of this file carry ``v``: all but ES modules, ours and imported ones (see the module doc)."""
    if endpoint == "static":
        return not filename.endswith(MODULE_SUFFIXES)
    return (endpoint, filename) not in VENDOR_MODULES


def init_app(app: Flask) -> None:
    """Compression first (its after_request then runs last, over the final body), then versions."""
    for key, value in COMPRESSION.items():
        app.config.setdefault(key, value)
    Compress(app)

    @app.url_defaults
    def add_content_version(endpoint, values):
        filename = values.get("filename")
        if endpoint not in ASSET_ENDPOINTS or not filename or "v" in values:
            return
        if not versioned(endpoint, filename):
            return
        version = content_version(asset_directories(app)[endpoint], filename)
        if version:
            values["v"] = version

    @app.after_request
    def asset_cache_headers(response):
        if request.endpoint not in ASSET_ENDPOINTS or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        wanted = request.args.get("v")
        current = content_version(asset_directories(app)[request.endpoint], filename) if wanted else None
        response.headers["Cache-Control"] = IMMUTABLE if wanted and wanted == current else REVALIDATE
        return response
