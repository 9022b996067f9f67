"""Installable web app: the service worker at the root scope (``/sw.js``) and the manifest.

The worker is served from a route, not from ``/static``, so that its scope can be the
whole site, and so that the app can write the shell's URLs and a content version into it.
"""
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from mapapp.basemap import renderer_script_url
from mapapp.i18n import language_tag
from mapapp.pwa import shell
from mapapp.security import tile_origin

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#00468a"
ICON_SIZES = (192, 512)
# The self-hosted basemap's tiles (mapapp/basemap): plain GETs the worker keeps like any map tile.
BASEMAP_TILES = "/basemap/{z}/{x}/{y}"
OFFLINE_TEMPLATE = "offline.html"


def _leaflet_dir() -> Path:
    from xstatic.pkg import leaflet as package

    return Path(package.BASE_DIR)


def _exifr_dir() -> Path:
    from mapapp.config import project_dir

    return project_dir() / "node_modules" / "exifr" / "dist"


@bp.get("/sw.js")
def service_worker():
    from mapapp.assets.vendor import markercluster_dir

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
        + [url for url in [renderer_script_url()] if url]  # the self-hosted basemap's renderer
    )
    pages = [url_for("capture.map_page")]
    offline = {language_tag(lang): url_for("pwa.offline_page", lang=lang) for lang in current_app.config["LANGUAGES"]}
    files = (shell.worker_parts(static_dir) + [static_dir / n for n in local] + [leaflet_dir / n for n in leaflet]
             + [exifr_dir / n for n in exifr] + [cluster_dir / n for n in cluster] + _offline_page_sources())
    tiles = [shell.tile_pattern(_absolute(template)) for template in (current_app.config["TILE_URL"], BASEMAP_TILES)
             if template]
    tag = shell.version(files, extra="\n".join(precache + pages + tiles))
    body = shell.render_worker(shell.worker_source(static_dir), tag, precache, pages, offline=offline,
                               tiles=tiles, tileEntries=int(current_app.config["TILE_CACHE_ENTRIES"]))
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    # The worker fetches the map tiles itself: its own policy admits the tile host.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; connect-src 'self'{tile_origin(current_app.config['TILE_URL'] or '')}")
    return response


def _absolute(template: str) -> str:
    """A tile template as the worker sees the tiles' URLs: a path becomes a URL on this host."""
    return request.host_url.rstrip("/") + template if template.startswith("/") else template


def _offline_page_sources() -> list[Path]:
    """The offline page's template and the compiled catalogues: a change to them renews the stored copies."""
    templates = Path(current_app.root_path).parent / "templates"
    catalogues = sorted((Path(current_app.root_path) / "translations").glob("*/LC_MESSAGES/messages.mo"))
    return [templates / OFFLINE_TEMPLATE] + catalogues


@bp.get("/offline/<lang>")
def offline_page(lang):
    """The page the worker shows for a page it has not stored, in the participant's language."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    g.mapapp_lang = lang  # the language of the path, not of the cookie (read by mapapp.i18n)
    return render_template(OFFLINE_TEMPLATE)


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
