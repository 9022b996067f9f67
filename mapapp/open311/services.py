"""Categories as Open311 services, and their questions as service definitions."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import attributes
from mapapp.errors import NotFound

JURISDICTION = "duisburg.de"
GROUP = "Ortsbegehung"

DATATYPE_DESCRIPTIONS = {
    "string": "Text, höchstens 200 Zeichen",
    "text": "Text, höchstens 2000 Zeichen",
    "number": "Zahl",
    "datetime": "Datum (JJJJ-MM-TT)",
    "singlevaluelist": "Ein Schlüssel aus values",
    "multivaluelist": "Ein oder mehrere Schlüssel aus values (attribute[code][]=…)",
}


def check_jurisdiction(jurisdiction_id: str | None) -> None:
    """We serve one city: accept ``duisburg.de`` or nothing."""
    if jurisdiction_id not in (None, "", JURISDICTION):
        raise NotFound(_("Unbekannte jurisdiction_id „%(id)s“.", id=jurisdiction_id))


def _label(row, locale: str | None) -> str:
    return row["label_en"] if (locale or "").lower().startswith("en") else row["label_de"]


def list_services(session: Session, locale: str | None = None) -> list[dict]:
    """Return the active categories as GeoReport services, in display order."""
    rows = session.execute(text("""
        SELECT c.slug, c.label_de, c.label_en,
               EXISTS (SELECT 1 FROM category_attributes a WHERE a.category_slug = c.slug) AS metadata
        FROM categories c WHERE c.active ORDER BY c.sort, c.slug
    """)).mappings()
    return [{
        "service_code": row["slug"],
        "service_name": _label(row, locale),
        "description": f"{row['label_de']} / {row['label_en']}",
        "metadata": row["metadata"],
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(w for w in row["slug"].split("_") if w)),
        "group": GROUP,
    } for row in rows]


def service_definition(session: Session, code: str, locale: str | None = None) -> dict:
    """Return the questions of service ``code``; NotFound if unknown, inactive or without questions."""
    active = session.execute(text("SELECT active FROM categories WHERE slug = :slug"), {"slug": code}).scalar()
    questions = attributes.questions(session, code) if active else []
    if not questions:
        raise NotFound(_("Keine Service-Definition für „%(code)s“.", code=code))
    return {"service_code": code, "attributes": [{
        "variable": True,
        "code": q["code"],
        "datatype": q["datatype"],
        "required": q["required"],
        "datatype_description": DATATYPE_DESCRIPTIONS[q["datatype"]],
        "order": q["order"],
        "description": _label(q, locale),
        "values": [{"key": v["key"], "name": _label(v, locale)} for v in q["values"]],
    } for q in questions]}
