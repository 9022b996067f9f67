"""What the results pages show, gathered for their templates: the walk, its counts, concerns and
photos in the reader's language, the map's config, the share tags and the embedding snippet.
"""
from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from markupsafe import escape

from mapapp.capture import client_config
from mapapp.db import read_one, read_session
from mapapp.errors import NotFound
from mapapp.follow.updates import public_updates
from mapapp.i18n import INTL_LOCALES, current_language, language_tag, match_language, translate_label
from mapapp.public_urls import public_root, public_url
from mapapp.results import queries
from mapapp.security import tile_origin
from mapapp.statuses import status_labels
from mapapp.walks.editing import walk_detail

EMBED_HEIGHT = 480


class ResultsNotPublic(Exception):
    """No walk has this code, or its results are not published and the reader may not preview them."""


def may_preview() -> bool:
    """Organisers see a walk's results before they are published."""
    return bool(current_user.is_authenticated and current_user.is_organiser)


def keep_lang() -> dict:
    """``{"lang": xx}`` when the request chose its language with ``?lang=``: the pages set no
    cookie to remember it, so their links carry it on."""
    chosen = match_language(request.args.get("lang"), current_app.config["LANGUAGES"])
    return {"lang": chosen} if chosen else {}


def visible_walk(join_code: str) -> tuple[dict, dict, bool]:
    """The walk, its publication and whether this is a preview; raises ResultsNotPublic."""
    try:
        publication = read_one(queries.publication, join_code)
        walk = read_one(walk_detail, join_code)
    except NotFound:
        raise ResultsNotPublic() from None
    preview = publication["published_at"] is None
    if preview and not may_preview():
        raise ResultsNotPublic()
    return walk, publication, preview


def labelled(rows: list[dict]) -> list[dict]:
    """Rows with ``label_de``/``label_en`` get ``label`` in the reader's language."""
    return [{**row, "label": translate_label(row.get("label_de"), row.get("label_en"))} for row in rows]


def category_labels(summary: dict) -> dict[str, str]:
    return {row["slug"]: row["label"] for row in summary["by_category"]}


def walk_summary(walk: dict) -> dict:
    """The counts of the walk's findings with translated category labels."""
    summary = queries.counts(read_session(), uuid.UUID(walk["id"]))
    summary["by_category"] = labelled(summary["by_category"])
    return summary


def walk_concerns(walk: dict) -> list[dict]:
    """The walk's concerns with their category and status in words and their public updates."""
    session = read_session()
    rows = labelled(queries.concerns(session, uuid.UUID(walk["id"])))
    updates = public_updates(session, [row["id"] for row in rows])
    labels = status_labels()
    for row in rows:
        row["status_label"] = labels.get(row["status"], row["status"])
        row["updates"] = updates.get(row["id"], [])
    return rows


def share_text(walk: dict, summary: dict, when: str) -> str:
    """One line for link previews: "12 Funde, 3 Anliegen · Samstag, 12. September 2026, 12:00 MESZ"."""
    counted = ", ".join([
        ngettext("%(num)d Fund", "%(num)d Funde", summary["findings"]),
        ngettext("%(num)d Anliegen", "%(num)d Anliegen", summary["concerns"]),
    ])
    return f"{counted} · {when}" if when else counted


def open_graph(walk: dict, summary: dict, photos: list[dict], when: str) -> dict:
    """The Open Graph and Twitter card tags' values, every URL absolute."""
    lang = current_language()
    image = (public_root() + url_for("photos.photo_file", stored_sha256=photos[0]["stored_sha256"], kind="web")
             if photos else public_root() + url_for("static", filename="icons/icon-512.png"))
    return {
        "title": _("Ergebnisse: %(title)s", title=walk["title"]),
        "description": share_text(walk, summary, when),
        "url": public_url("results.walk_results", join_code=walk["join_code"]),
        "image": image,
        "card": "summary_large_image" if photos else "summary",
        "locale": INTL_LOCALES.get(lang, language_tag(lang)).replace("-", "_"),
        "site_name": _("Stadtteil-Spaziergang Duisburg"),
    }


def embed_snippet(walk: dict) -> str:
    """The HTML an embedding site pastes: an iframe of the widget (shown escaped on our pages)."""
    src = public_url("results.embed", join_code=walk["join_code"], **keep_lang())
    title = _("Ergebnisse: %(title)s", title=walk["title"])
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{EMBED_HEIGHT}" '
            f'style="border:0" loading="lazy"></iframe>')


def map_config(walk: dict) -> dict:
    """What static/js/public/results.js needs: tiles (a third party's only after consent), view,
    the districts API, the walk's route and meeting point, and the walk's public GeoJSON."""
    config = client_config()
    tiles = config["tiles"]
    tiles["third_party"] = bool(tiles["url"] and tile_origin(tiles["url"]))
    tiles["host"] = urlsplit(tiles["url"].replace("{s}", "a")).hostname or ""
    lon_lat = (walk.get("meeting_point") or {}).get("coordinates")
    return {
        "api": {"districts": config["api"]["districts"],
                "findings": url_for("results.walk_findings", join_code=walk["join_code"], **keep_lang())},
        "tiles": tiles,
        "center": [lon_lat[1], lon_lat[0]] if lon_lat else config["center"],
        "zoom": config["zoom"],
        "walk_id": walk["id"],
        "walk": {key: walk.get(key) for key in ("route", "meeting_point", "bounds", "title")},
    }
