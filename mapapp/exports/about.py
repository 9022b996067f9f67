"""What an export says about itself: the selection in German words, the licence and the
contact (the hand-over README and the GeoPackage's metadata share them)."""
from sqlalchemy import text

from mapapp.exports import report_data as rd
from mapapp.exports.selection import Selection

WHAT_DE = {"findings": "Fundstellen", "concerns": "Anliegen", "both": "Fundstellen und Anliegen"}


def export_settings() -> tuple[str, str]:
    """Licence and contact lines from the running app's config, else the defaults."""
    from mapapp.config import Defaults

    config = {}
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            config = current_app.config
    except ImportError:  # pragma: no cover - Flask is a dependency
        pass
    return (config.get("EXPORT_LICENCE", Defaults.EXPORT_LICENCE),
            config.get("EXPORT_CONTACT", Defaults.EXPORT_CONTACT))


def filters_in_words(session, selection: Selection, photos_in: str = "Ordner fotos/") -> list[str]:
    """The selection as German sentences; ``photos_in`` says where included photos are."""
    lines = [f"Inhalt: {WHAT_DE[selection.what]}"]
    if selection.walk_id:
        title = session.execute(text("SELECT title FROM walks WHERE id = CAST(:id AS uuid)"),
                                {"id": str(selection.walk_id)}).scalar()
        lines.append(f"Ortsbegehung: {title or selection.walk_id}")
    if selection.district:
        name = session.execute(text("SELECT name FROM districts WHERE code = :d OR lower(name) = lower(:d) "
                                    "ORDER BY level = 'stadtbezirk' DESC LIMIT 1"),
                               {"d": selection.district.strip()}).scalar()
        lines.append(f"Stadtbezirk/Ortsteil: {name or selection.district}")
    if selection.categories:
        labels = dict(session.execute(text("SELECT slug, label_de FROM categories WHERE slug = ANY(:s)"),
                                      {"s": list(selection.categories)}).all())
        lines.append("Kategorien: " + ", ".join(labels.get(slug, slug) for slug in selection.categories))
    if selection.statuses:
        lines.append("Bearbeitungsstand: " + ", ".join(rd.status_label(s) for s in selection.statuses))
    if selection.date_from or selection.date_to:
        start = selection.date_from.strftime("%d.%m.%Y") if selection.date_from else "Beginn"
        end = selection.date_to.strftime("%d.%m.%Y") if selection.date_to else "heute"
        lines.append(f"Erfasst von {start} bis {end}")
    if len(lines) == 1:
        lines.append("Keine weiteren Filter: alle Einträge")
    lines.append("Beschreibungstexte: " + ("enthalten" if selection.include_text else "weggelassen"))
    lines.append("Fotos: " + (f"enthalten ({photos_in})" if selection.include_photos else "nicht enthalten"))
    return lines
