"""The participant's map page (``/``): the front door, with the walks to join."""
from datetime import datetime, timezone

from flask import Blueprint, current_app, render_template, url_for

from mapapp.basemap import basemap_client_config
from mapapp.db import db
from mapapp.capture.front_door import front_door_walks
from mapapp.i18n import tile_attribution
from mapapp.findings.participants import issue_cookie

bp = Blueprint("capture", __name__)


def client_config() -> dict:
    """Return what the page's scripts need: API URLs, tile layer and the initial view."""
    config = current_app.config
    return {
        "api": {
            "findings": url_for("api.list_findings"),
            "mine": url_for("api.my_findings"),
            "viewport": url_for("tiles.viewport"),
            "categories": url_for("api.list_categories"),
            "districts": url_for("api.list_districts"),
        },
        "tiles": {
            "url": config["TILE_URL"] or "",
            "attribution": tile_attribution(config["TILE_ATTRIBUTION"]),
            "max_zoom": config["TILE_MAX_ZOOM"],
            "basemap": basemap_client_config(),
        },
        "center": config["MAP_CENTER"],
        "zoom": config["MAP_ZOOM"],
        "walk_id": None,
    }


@bp.get("/")
def map_page():
    issue_cookie()
    walks = front_door_walks(db.session, datetime.now(timezone.utc))
    return render_template("map.html", client_config=client_config(), walks=walks)
