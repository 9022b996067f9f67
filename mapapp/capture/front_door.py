"""What the front door (``/``) lists: the walks still to come and the latest past ones."""
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

PAST_LIMIT = 10


def front_door_walks(session: Session, now: datetime) -> dict[str, list[dict]]:
    """Return ``{"upcoming": [...], "past": [...]}``: next first, then the latest past ones.

    A walk is past once its end (or, without an end, its start) lies before ``now``; a walk
    without a date counts as upcoming. Each walk carries what its entry shows: join code,
    title, start and end (for the ``walk_when`` filter), Ortsteil and meeting-point name.
    """
    rows = session.execute(text("""
        SELECT w.join_code, w.title, w.starts_at, w.ends_at, w.meeting_point_name,
               coalesce(ot.name, sb.name) AS place,
               w.starts_at IS NOT NULL AND coalesce(w.ends_at, w.starts_at) < :now AS past
        FROM walks w
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
        LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        ORDER BY w.starts_at NULLS LAST, w.title
    """), {"now": now}).mappings().all()
    upcoming = [dict(row) for row in rows if not row["past"]]
    past = [dict(row) for row in reversed(rows) if row["past"]][:PAST_LIMIT]
    return {"upcoming": upcoming, "past": past}
