"""The walks the front door lists: upcoming ones next first, then the latest past ones."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from mapapp.capture.front_door import PAST_LIMIT, front_door_walks
from tests.factories import make_walk

NOW = datetime(2026, 9, 12, 12, tzinfo=timezone.utc)


def walk_at(session, title, starts, ends=None):
    walk_id = make_walk(session, title=title)
    session.execute(text("UPDATE walks SET starts_at = :starts, ends_at = :ends WHERE id = :id"),
                    {"starts": starts, "ends": ends, "id": walk_id})
    return walk_id


def titles(walks):
    return [walk["title"] for walk in walks]


def test_upcoming_next_first_running_counts_as_upcoming_past_latest_first(session):
    walk_at(session, "übermorgen", NOW + timedelta(days=2))
    walk_at(session, "morgen", NOW + timedelta(days=1))
    walk_at(session, "läuft gerade", NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    walk_at(session, "ohne Datum", None)
    walk_at(session, "letzte Woche", NOW - timedelta(days=7), NOW - timedelta(days=7) + timedelta(hours=2))
    walk_at(session, "gestern", NOW - timedelta(days=1))
    walks = front_door_walks(session, NOW)
    assert titles(walks["upcoming"]) == ["läuft gerade", "morgen", "übermorgen", "ohne Datum"]
    assert titles(walks["past"]) == ["gestern", "letzte Woche"]
    first = walks["upcoming"][0]
    assert first["join_code"] and first["place"] == "Alt-Homberg"  # the meeting point's Ortsteil


def test_only_the_latest_past_walks(session):
    for day in range(PAST_LIMIT + 3):
        walk_at(session, f"vor {day + 1} Tagen", NOW - timedelta(days=day + 1))
    past = front_door_walks(session, NOW)["past"]
    assert len(past) == PAST_LIMIT and past[0]["title"] == "vor 1 Tagen"
