"""Times in the data files: Duisburg's local time and UTC side by side, spelled once here.

``<name>_local`` is Duisburg time with its offset, as people there read it and as a
spreadsheet sorts it: ``2026-03-02 00:30:00+01:00`` (MEZ) or ``…+02:00`` (MESZ).
``<name>_utc`` is the same moment in UTC, ISO 8601 with ``Z``: ``2026-03-01T23:30:00Z``.
Both are made in PostgreSQL (the rows never pass through Python in CSV and GeoJSON).
The older columns (``created_at``, ``updated_at``: UTC with microseconds and ``+00:00``)
keep their names and meaning.
"""
from __future__ import annotations

from mapapp.config import LOCAL_TZ

LOCAL_SUFFIX, UTC_SUFFIX = "_local", "_utc"


def local_sql(expression: str) -> str:
    """SQL text of a ``timestamptz`` as Duisburg time with its offset (Duisburg is always ahead of UTC)."""
    local = f"({expression} AT TIME ZONE '{LOCAL_TZ}')"
    return (f"(to_char({local}, 'YYYY-MM-DD HH24:MI:SS') || '+' "
            f"|| to_char({local} - ({expression} AT TIME ZONE 'UTC'), 'HH24:MI'))")


def utc_sql(expression: str) -> str:
    """SQL text of a ``timestamptz`` in UTC: ``2026-03-01T23:30:00Z``."""
    return f"""to_char({expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def paired_sql(column: str, alias: str = "r") -> dict[str, str]:
    """``{"created_at_local": <sql>, "created_at_utc": <sql>}`` for the row column ``column``."""
    source = f"{alias}.{column}"
    return {column + LOCAL_SUFFIX: local_sql(source), column + UTC_SUFFIX: utc_sql(source)}
