"""The Atom feeds of public updates: a concern confirmed, handed to the city, resolved. No Flask here.

An entry is a status change to one of :data:`FEED_STATUSES` that carries public text: the
public message the team wrote with or after the change, before the next one (the latest such
``public_message_changed`` entry of the concern's trail, when it did not clear the message).
A change without public text makes no entry: the reviewer's note on a change is internal,
and a change to review tells the public nothing new. The XML is built with ElementTree, which
escapes every text; characters XML 1.0 cannot hold are dropped from user text first.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET

from sqlalchemy import text
from sqlalchemy.orm import Session

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_STATUSES = ("confirmed", "handed_over", "resolved")
FEED_LIMIT = 50
# Code points XML 1.0 does not allow (controls other than tab, newline, carriage return; U+FFFE/F).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ENTRIES_SQL = """
WITH changes AS (
    SELECT e.id, e.concern_id, e.at, e.to_status,
           lead(e.at) OVER (PARTITION BY e.concern_id ORDER BY e.at, e.id) AS next_at
    FROM concern_events e
    WHERE e.action IN ('created', 'status_changed') AND e.to_status IS NOT NULL
      AND (CAST(:walk AS uuid) IS NULL
           OR e.concern_id IN (SELECT f.concern_id FROM findings f WHERE f.walk_id = CAST(:walk AS uuid)))
)
SELECT ch.id, ch.concern_id, ch.at AS changed_at, ch.to_status AS status, m.note AS message,
       greatest(ch.at, m.at) AS updated, k.title, k.category_slug AS category, c.label_de, c.label_en,
       o.name AS ortsteil,
       (SELECT w.join_code FROM walks w
        WHERE w.results_published_at IS NOT NULL
          AND w.id IN (SELECT f.walk_id FROM findings f WHERE f.concern_id = k.id)
        ORDER BY (w.id = CAST(:walk AS uuid)) DESC, w.results_published_at, w.id LIMIT 1) AS join_code
FROM changes ch
JOIN LATERAL (
    SELECT pm.note, pm.at FROM concern_events pm
    WHERE pm.concern_id = ch.concern_id AND pm.action = 'public_message_changed'
      AND pm.at >= ch.at AND (ch.next_at IS NULL OR pm.at < ch.next_at)
    ORDER BY pm.at DESC, pm.id DESC LIMIT 1
) m ON m.note IS NOT NULL
JOIN concerns k ON k.id = ch.concern_id
JOIN categories c ON c.slug = k.category_slug
LEFT JOIN districts o ON o.id = k.ortsteil_id
WHERE ch.to_status = ANY(:statuses)
ORDER BY updated DESC, ch.id DESC
LIMIT :limit
"""


def feed_entries(session: Session, walk_id: uuid.UUID | None = None, limit: int = FEED_LIMIT) -> list[dict]:
    """The public updates, newest first: of the concerns of one walk's findings, or of all (``None``).

    Each: ``id`` (the status change's trail entry), ``concern_id, changed_at, status, message,
    updated, title, category, label_de, label_en, ortsteil, join_code`` (a published walk the
    concern's findings come from, this walk first; None when there is none).
    """
    rows = session.execute(text(ENTRIES_SQL), {
        "walk": walk_id, "statuses": list(FEED_STATUSES), "limit": limit,
    }).mappings()
    return [dict(row) for row in rows]


def clean(value: str | None) -> str:
    """User text as XML can hold it."""
    return NOT_XML.sub("", value or "")


def stable_id(url: str) -> str:
    """A permanent Atom id for what ``url`` names (the same URL gives the same id)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, url).urn


@dataclass
class FeedEntry:
    id_url: str
    title: str
    updated: datetime
    link: str
    content: str
    published: datetime | None = None
    category: str | None = None


@dataclass
class Feed:
    self_url: str
    page_url: str
    title: str
    author: str
    lang: str
    updated: datetime
    entries: list[FeedEntry] = field(default_factory=list)


def _add(parent: ET.Element, name: str, value: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", {k: clean(v) for k, v in attributes.items()})
    if value is not None:
        element.text = clean(value)
    return element


def atom_xml(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document (RFC 4287), UTF-8."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: feed.lang})
    _add(root, "id", stable_id(feed.self_url))
    _add(root, "title", feed.title)
    _add(root, "updated", feed.updated.isoformat())
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    _add(_add(root, "author"), "name", feed.author)
    for item in feed.entries:
        entry = _add(root, "entry")
        _add(entry, "id", stable_id(item.id_url))
        _add(entry, "title", item.title)
        _add(entry, "updated", item.updated.isoformat())
        if item.published:
            _add(entry, "published", item.published.isoformat())
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        if item.category:
            _add(entry, "category", term=item.category)
        _add(entry, "content", item.content, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
