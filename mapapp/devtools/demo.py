"""A small demo: the three walks the platform began with, and a few findings on each.

Ids are derived from fixed names (uuid5), so loading twice changes nothing.
"""
import secrets
import uuid
from datetime import datetime, timezone

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import store as findings
from mapapp.walks import listing as walks
from mapapp.auth import users

NAMESPACE = uuid.UUID("6f1c3a52-5d7e-4b8e-9a41-2f0d7c9b1e11")

WALKS = [
    {
        "key": "alt-homberg-retail",
        "title": "Ortsbegehung Alt-Homberg: Einzelhandel",
        "topic": "Leerstand, Lärm, Radwege, Sondernutzungsgebühren",
        "description": "Rundgang vom Bismarckplatz durch die Einkaufsstraßen von Alt-Homberg.",
        "starts_at": datetime(2026, 9, 12, 10, 0, tzinfo=timezone.utc),
        "meeting": (51.4565, 6.6995),
        "meeting_name": "Bismarckplatz, vor dem Rathaus",
        "ortsteil": "402",
        "findings": [
            ("empty_shop", 51.4571, 6.6981, "Ladenlokal seit über einem Jahr leer."),
            ("empty_shop", 51.4560, 6.7010, "Zwei leere Schaufenster nebeneinander."),
            ("cycle_path", 51.4552, 6.6990, "Radweg endet plötzlich, Bordstein hoch."),
            ("noise", 51.4577, 6.7004, "Lieferverkehr ab 5 Uhr morgens."),
            ("public_space", 51.4566, 6.6999, "Gebühr für Außengastronomie zu hoch, Plätze bleiben leer."),
        ],
    },
    {
        "key": "rheinhausen-youth",
        "title": "Ortsbegehung Rheinhausen: Angebote für Kinder und Jugendliche",
        "topic": "Spielplätze, Treffpunkte, Jugendangebote",
        "description": "Vom Markt zu Spielplätzen und Treffpunkten in Rheinhausen-Mitte.",
        "starts_at": datetime(2026, 9, 19, 14, 0, tzinfo=timezone.utc),
        "meeting": (51.4018, 6.7128),
        "meeting_name": "Marktplatz Rheinhausen",
        "ortsteil": "601",
        "findings": [
            ("youth_offer", 51.4025, 6.7140, "Bolzplatz ohne Tore."),
            ("lighting", 51.4010, 6.7115, "Weg zum Jugendzentrum abends dunkel."),
            ("litter", 51.4030, 6.7105, "Glasscherben auf dem Spielplatz."),
        ],
    },
    {
        "key": "buchholz-youth",
        "title": "Ortsbegehung Afrika-Siedlung (Buchholz): Angebote für Kinder und Jugendliche",
        "topic": "Spielplätze, Treffpunkte, Jugendangebote",
        "description": "Durch die Afrika-Siedlung in Buchholz.",
        "starts_at": datetime(2026, 9, 26, 14, 0, tzinfo=timezone.utc),
        "meeting": (51.3890, 6.7790),
        "meeting_name": "Spielplatz in der Afrika-Siedlung",
        "ortsteil": "703",
        "findings": [
            ("youth_offer", 51.3885, 6.7800, "Kein Treffpunkt für Jugendliche im Viertel."),
            ("barrier", 51.3880, 6.7785, "Spielplatz nur über Treppe erreichbar, kein Kinderwagen."),
        ],
    },
]


def demo_organiser(session: Session) -> tuple[str, str] | None:
    """Create an organiser ``demo`` with a random password when there are no accounts yet.

    Returns (username, password) once, when created; the password is never stored in clear.
    """
    if session.execute(text("SELECT EXISTS (SELECT 1 FROM users)")).scalar():
        return None
    password = secrets.token_urlsafe(12)
    users.create_user(session, "demo", password, display_name="Demo-Organisation")
    return "demo", password


def load(session: Session) -> dict:
    """Insert (or refresh) the demo walks and findings; return how many of each exist."""
    stored = 0
    for walk in WALKS:
        walk_id = uuid.uuid5(NAMESPACE, walk["key"])
        walks.upsert_walk(
            session, id=walk_id, title=walk["title"], topic=walk["topic"],
            description=walk["description"], starts_at=walk["starts_at"],
            meeting_lat=walk["meeting"][0], meeting_lon=walk["meeting"][1],
            meeting_point_name=walk["meeting_name"], ortsteil_code=walk["ortsteil"],
        )
        session.commit()
        for index, (category, lat, lon, text) in enumerate(walk["findings"]):
            new = findings.NewFinding(
                id=uuid.uuid5(NAMESPACE, f"{walk['key']}/{index}"), category=category,
                geometry=findings.point_geometry(lat, lon), description=text, walk_id=walk_id,
                accuracy_m=8.0,
            )
            findings.create_finding(session, new)
            stored += 1
    return {"walks": len(WALKS), "findings": stored}
