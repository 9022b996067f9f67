"""(a) continued: random map views, without and with filters, each against its own bare SQL.

``VIEW_COUNT`` random views of a phone screen (``SCREEN_PX``) at zoom 12–17, centred on
findings drawn with a fixed seed, are asked in turn (``wrk`` cycles through them) once per
filter kind: none, a date range with statuses, a walk. Each view's filter is random too
(a window of 7–60 Duisburg days, one or two statuses). The bare SQL replays the statements
``viewport_geojson`` sends for the same views, as in bench/views.py. Targets: the filtered
views' p95 within ``FILTERED_VS_PLAIN`` of the unfiltered ones', each kind's p95 within
``APP_VS_BARE`` of its bare SQL.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg

from bench import load
from bench.data import libpq_url
from bench.views import View, bbox_param, captured_statements

VIEW_COUNT = 120
SCREEN_PX = (412, 839)
ZOOMS = range(12, 18)
STATUSES = ("new", "in_review", "confirmed", "resolved")
FILTERED_VS_PLAIN = 2.5
APP_VS_BARE = 1.25
SEED = 14

# wrk's request hook: the views in turn (one wrk thread, so one counter).
WRK_PATHS = """
local paths = {{{paths}}}
local at = 0
request = function()
  at = at % #paths + 1
  return wrk.format(nil, paths[at])
end
"""


def view_bbox(lon: float, lat: float, zoom: int) -> tuple[float, float, float, float]:
    """W, S, E, N of a ``SCREEN_PX`` screen centred on lon/lat at ``zoom``."""
    from mapapp.mapdata.cells import lat_of, lon_of, merc_x, merc_y
    from mapapp.mapdata.viewport import M_PER_PX_Z0

    half_w, half_h = (px * M_PER_PX_Z0 / 2 ** zoom / 2 for px in SCREEN_PX)
    x, y = merc_x(lon), merc_y(lat)
    return lon_of(x - half_w), lat_of(y - half_h), lon_of(x + half_w), lat_of(y + half_h)


def random_views(url: str, walk_id: str) -> dict[str, list[tuple[View, dict]]]:
    """Per filter kind the same views, each with its filter as query parameters."""
    rng = random.Random(SEED)
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SELECT setseed(%s)", (SEED / 100,))
        centres = conn.execute("SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))"
                               " FROM findings TABLESAMPLE SYSTEM (1) REPEATABLE (%s) LIMIT %s",
                               (SEED, VIEW_COUNT)).fetchall()
        first, last = conn.execute("SELECT min(finding_day(created_at)), max(finding_day(created_at))"
                                   " FROM findings").fetchone()
    views = [View(f"z{zoom}", view_bbox(lon, lat, zoom), zoom)
             for (lon, lat), zoom in zip(centres, (rng.choice(ZOOMS) for _ in centres))]
    span = (last - first).days

    def dates_and_status() -> dict:
        days = rng.randint(7, 60)
        start = first + timedelta(days=rng.randint(0, max(span - days, 0)))
        return {"from": start.isoformat(), "to": (start + timedelta(days=days - 1)).isoformat(),
                "status": ",".join(rng.sample(STATUSES, rng.randint(1, 2)))}

    return {"none": [(v, {}) for v in views],
            "dates + status": [(v, dates_and_status()) for v in views],
            "walk": [(v, {"walk": walk_id}) for v in views]}


def path_of(view: View, args: dict) -> str:
    return f"/api/viewport?{urlencode({'bbox': bbox_param(view.bbox), 'zoom': view.zoom, **args})}"


def statements_of(url: str, view: View, args: dict) -> list:
    """The SQL ``viewport_geojson`` sends for ``view`` with the filter in ``args``."""
    from mapapp.findings.filters import FindingFilter

    flt = FindingFilter(walk_id=args.get("walk"), statuses=tuple(filter(None, args.get("status", "").split(","))),
                        date_from=_day(args.get("from")), date_to=_day(args.get("to")))
    return captured_statements(url, view, flt)[0]


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def http_paths(base: str, paths: list[str], concurrency: int, duration: float, var: Path) -> load.Result:
    """``load.http`` over ``paths`` in turn."""
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    extra = var / "wrk-paths.lua"
    extra.write_text(load.WRK_SCRIPT + WRK_PATHS.format(paths=quoted))
    return load.http(base + "/", concurrency, duration, var, script=extra)


def measure(url: str, base: str, walk_id: str, duration: float, var: Path, concurrencies=(1, 16)) -> list[dict]:
    """One row per filter kind, concurrency and contender (mapapp, bare SQL)."""
    rows = []
    for kind, views in random_views(url, walk_id).items():
        paths = [path_of(v, args) for v, args in views]
        requests = [statements_of(url, v, args) for v, args in views]
        for c in concurrencies:
            for who, run in (("mapapp", lambda: http_paths(base, paths, c, duration, var)),
                             ("bare SQL", lambda: load.sql(libpq_url(url), requests, c, duration))):
                result = run()
                print(f"    {kind:<15} c={c:<2} {who:<9} {result.rps:8.1f} req/s  p50 {result.p50_ms:7.1f} ms"
                      f"  p95 {result.p95_ms:7.1f} ms  errors {result.errors}", flush=True)
                rows.append({"kind": kind, "concurrency": c, "who": who, "result": result})
    return rows
