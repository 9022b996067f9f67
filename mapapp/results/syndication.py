"""The Atom feeds' documents for a request: titles in the reader's language, absolute public URLs."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import current_app, url_for
from flask_babel import gettext as _

from mapapp.db import read_session
from mapapp.i18n import current_language, language_tag, translate_label
from mapapp.public_urls import public_root, public_url
from mapapp.results.feed import Feed, FeedEntry, atom_xml, feed_entries
from mapapp.results.pages import keep_lang
from mapapp.statuses import status_labels


def _entry(row: dict, labels: dict[str, str]) -> FeedEntry:
    if row["join_code"]:
        link = public_url("results.walk_results", join_code=row["join_code"], **keep_lang())
        link += f"#concern-{row['concern_id']}"
    else:
        link = public_url("results.overview", **keep_lang())
    where = f" ({row['ortsteil']})" if row["ortsteil"] else ""
    category = translate_label(row["label_de"], row["label_en"])
    return FeedEntry(
        id_url=public_root() + f"/concern-events/{row['id']}",
        title=f"{labels.get(row['status'], row['status'])}: {row['title']}",
        updated=row["updated"],
        published=row["changed_at"],
        link=link,
        content=f"{row['message']}\n\n{category}{where}",
        category=category,
    )


def feed_document(walk: dict | None, published_at: datetime | None = None) -> bytes:
    """The Atom document of one walk's public updates, or the whole city's (``walk`` None)."""
    walk_id = uuid.UUID(walk["id"]) if walk else None
    rows = feed_entries(read_session(), walk_id)
    labels = status_labels()
    if walk:
        self_url = public_url("results.walk_feed", join_code=walk["join_code"], **keep_lang())
        page_url = public_url("results.walk_results", join_code=walk["join_code"], **keep_lang())
        title = _("Neues zu den Ergebnissen: %(title)s", title=walk["title"])
    else:
        self_url = public_url("results.city_feed", **keep_lang())
        page_url = public_url("results.overview", **keep_lang())
        title = _("Neues zu den Anliegen der Stadtteil-Spaziergänge in Duisburg")
    updated = rows[0]["updated"] if rows else (published_at or datetime.now(timezone.utc))
    return atom_xml(Feed(
        self_url=self_url, page_url=page_url, title=title, lang=language_tag(current_language()),
        author=current_app.config["PUBLIC_AGENCY_NAME"], updated=updated,
        entries=[_entry(row, labels) for row in rows],
    ))


def feed_link(walk: dict | None = None) -> str:
    """The feed's path for ``<link rel="alternate">`` and the pages' feed links."""
    if walk:
        return url_for("results.walk_feed", join_code=walk["join_code"], **keep_lang())
    return url_for("results.city_feed", **keep_lang())
