"""The feed's collections and the pygeoapi configuration that serves them. No Flask here.

Each collection is one of the public views of migration 0009, served by pygeoapi's own
PostgreSQL provider (through a small subclass, :mod:`mapapp.ogc.provider`). The
configuration is a dict built in memory from the app's database URL and settings: nothing
is written to disk (it holds the database password), and pygeoapi's environment variables
are not used.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import text
from sqlalchemy.engine import make_url

from mapapp.statuses import N_

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"
CRS_LIST = [CRS84, EPSG_4326, EPSG_25832]

# The app's languages with a BCP 47 tag of their own (Einfache Sprache has none, see mapapp.i18n);
# the first is the default.
LANGUAGES = ("de", "en", "tr", "ar")

# pygeoapi's PostgreSQL provider (subclassed: mapapp/ogc/provider.py) connects with psycopg2,
# through its own small pool. Its transactions are read-only: the feed never writes.
READ_ONLY = "-c default_transaction_read_only=on"
PROVIDER = "mapapp.ogc.provider.PublicViewProvider"

TITLE = N_("mapapp Duisburg: Funde und Anliegen aus Ortsbegehungen")
DESCRIPTION = N_("Was Teilnehmende bei Ortsbegehungen in Duisburg gefunden haben, was Teams daraus gemacht "
                 "haben, die Begehungen und die Stadtbezirke und Ortsteile. Ohne persönliche Daten.")
KEYWORDS = (N_("Ortsbegehung"), N_("Bürgerbeteiligung"), N_("Duisburg"))


@dataclass(frozen=True)
class Collection:
    """One collection: its id in URLs, the view it reads and what it is about (German msgids)."""

    id: str
    view: str
    title: str
    description: str
    time_field: str | None
    # The view with free text as well, served when OGC_INCLUDE_TEXT is on (None: no free text).
    text_view: str | None = None

    def table(self, include_text: bool) -> str:
        return self.text_view if include_text and self.text_view else self.view


COLLECTIONS = (
    Collection("findings", "public_findings", N_("Funde"),
               N_("Was Teilnehmende gemeldet haben: Kategorie, Status (der des Anliegens, sobald der Fund zu "
                  "einem gehört), Dringlichkeit, Bestätigungen, Begehung, Ortsteil und Stadtbezirk. Punkte "
                  "und Linien."),
               "created_at", text_view="public_findings_text"),
    Collection("concerns", "public_concerns", N_("Anliegen"),
               N_("Was Teams aus Funden gemacht haben: Kategorie, Status, die öffentliche Nachricht, Zahl der "
                  "Funde und der beteiligten Personen."),
               "created_at", text_view="public_concerns_text"),
    Collection("walks", "public_walks", N_("Ortsbegehungen"),
               N_("Die Begehungen mit Thema, Termin und Treffpunkt."), "starts_at"),
    Collection("walk_routes", "public_walk_routes", N_("Routen der Ortsbegehungen"),
               N_("Die geplanten Wege der Begehungen, die einen haben."), "starts_at"),
    Collection("districts", "public_districts", N_("Stadtbezirke und Ortsteile"),
               N_("Die Grenzen mit Nummer, Name, übergeordnetem Stadtbezirk und Zahl der Funde."), None),
)
BY_ID = {collection.id: collection for collection in COLLECTIONS}


@dataclass(frozen=True)
class Settings:
    """What the configuration depends on besides the base URL."""

    database_url: str
    include_text: bool
    default_items: int
    max_items: int
    bbox: tuple[float, float, float, float]
    licence: str
    licence_url: str
    contact: str
    connect_timeout: int
    pooled: bool = False  # behind PgBouncer (DB_POOLER), which refuses the ``options`` startup parameter


def provider_data(database_url: str, connect_timeout: int, pooled: bool = False) -> tuple[dict, dict]:
    """pygeoapi's ``data`` (host, port, database, user, password) and ``options`` (libpq
    connection parameters) from a SQLAlchemy URL; URL query parameters (``sslmode``,
    ``host`` for a unix socket…) become options. Through a pooler there are no per-connection
    settings: the provider still only reads the public views, but read-only is then the
    database role's to enforce (docs/scaling.md)."""
    url = make_url(database_url)
    options = {key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()}
    if pooled:
        options.pop("options", None)
    else:
        options["options"] = " ".join(filter(None, [options.get("options"), READ_ONLY]))
    options.setdefault("connect_timeout", connect_timeout)
    data = {"host": url.host or options.pop("host", None), "port": url.port or 5432, "dbname": url.database,
            "user": url.username, "password": url.password, "search_path": ["public"]}
    return data, options


def _keywords(translate) -> dict:
    """The keywords as pygeoapi's language struct: ``{language: [word, …]}``."""
    words = [translate(word) for word in KEYWORDS]
    return {lang: [word[lang] for word in words] for lang in LANGUAGES}


def _resource(collection: Collection, settings: Settings, translate, data: dict, options: dict) -> dict:
    extents = {"spatial": {"bbox": list(settings.bbox), "crs": CRS84}}
    provider = {
        "type": "feature", "name": PROVIDER, "data": data, "options": options,
        "id_field": "id", "table": collection.table(settings.include_text), "geom_field": "geom",
        "storage_crs": CRS84, "crs": CRS_LIST,
    }
    if collection.time_field:
        extents["temporal"] = {"begin": None, "end": None}
        provider["time_field"] = collection.time_field
    return {
        "type": "collection",
        "title": translate(collection.title),
        "description": translate(collection.description),
        "keywords": _keywords(translate),
        "extents": extents,
        "providers": [provider],
    }


def pygeoapi_config(settings: Settings, base_url: str, translate: Callable[[str], dict]) -> dict:
    """The configuration pygeoapi's ``API`` takes, for answers whose links start with ``base_url``.

    ``translate`` turns a German msgid into ``{language: text}`` for :data:`LANGUAGES`.
    """
    data, options = provider_data(settings.database_url, settings.connect_timeout, settings.pooled)
    return {
        "server": {
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": list(LANGUAGES),
            "pretty_print": False,
            "limits": {"default_items": settings.default_items, "max_items": settings.max_items,
                       "on_exceed": "throttle"},
            "map": {"url": "", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": translate(TITLE), "description": translate(DESCRIPTION),
                               "keywords": _keywords(translate), "keywords_type": "theme",
                               "terms_of_service": settings.licence, "url": base_url},
            "license": {"name": settings.licence, "url": settings.licence_url},
            "provider": {"name": "mapapp", "url": base_url},
            "contact": {"name": settings.contact or "mapapp", "instructions": settings.contact,
                        "role": "pointOfContact"},
        },
        "resources": {collection.id: _resource(collection, settings, translate, data, options)
                      for collection in COLLECTIONS},
    }


def districts_bbox(session, fallback: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The extent of all districts (lon/lat), the collections' spatial extent; ``fallback`` when none."""
    row = session.execute(text(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM districts) x"
    )).one()
    return fallback if row[0] is None else tuple(round(float(value), 5) for value in row)
