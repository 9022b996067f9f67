"""Installable web app: the service worker at the root scope (``/sw.js``) and the manifest.

The worker is served from a route, not from ``/static``, so that its scope can be the
whole site, and so that the app can write the shell's URLs and a content version into it.
"""
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, url_for
from flask_babel import gettext as _

from mapapp.pwa import shell

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#00468a"
ICON_SIZES = (192, 512)


def _leaflet_dir() -> Path:
    from xstatic.pkg import leaflet as package

    return Path(package.BASE_DIR)


def _exifr_dir() -> Path:
    from mapapp.config import project_dir

    return project_dir() / "node_modules" / "exifr" / "dist"


@bp.get("/sw.js")
def service_worker():
    from mapapp.vendor import markercluster_dir

    static_dir, leaflet_dir, exifr_dir = Path(current_app.static_folder), _leaflet_dir(), _exifr_dir()
    cluster_dir = markercluster_dir()
    cluster = shell.markercluster_files(cluster_dir)
    local = shell.shell_files(static_dir)
    leaflet = shell.leaflet_files(leaflet_dir)
    exifr = shell.exifr_files(exifr_dir)
    precache = (
        [url_for("static", filename=name) for name in local]
        + [url_for("vendor.leaflet", filename=name) for name in leaflet]
        + [url_for("vendor.exifr", filename=name) for name in exifr]
        + [url_for("vendor.markercluster", filename=name) for name in cluster]
        + [url_for("pwa.manifest")]
    )
    pages = [url_for("capture.map_page")]
    source_path = static_dir / shell.WORKER_SOURCE
    files = ([source_path] + [static_dir / n for n in local] + [leaflet_dir / n for n in leaflet]
             + [exifr_dir / n for n in exifr] + [cluster_dir / n for n in cluster])
    tag = shell.version(files, extra="\n".join(precache + pages))
    body = shell.render_worker(source_path.read_text(encoding="utf-8"), tag, precache, pages)
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icons = [
        {"src": url_for("static", filename=f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ]
    icons.append({"src": url_for("static", filename="icons/icon-maskable-512.png"), "sizes": "512x512",
                  "type": "image/png", "purpose": "maskable"})
    icons.append({"src": url_for("static", filename="icons/icon.svg"), "sizes": "any",
                  "type": "image/svg+xml", "purpose": "any"})
    response = jsonify({
        "name": _("Stadtteil-Spaziergang Duisburg"),
        "short_name": _("Spaziergang"),
        "description": _("Funde auf Stadtteil-Spaziergängen in Duisburg melden – auch ohne Netz."),
        "lang": "de",
        "id": url_for("capture.map_page"),
        "start_url": url_for("capture.map_page"),
        "scope": url_for("capture.map_page"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response
