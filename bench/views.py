"""(a) The map's viewport: mapapp's API against pygeoapi and against its own bare SQL.

The bare SQL is not a copy: the benchmark calls ``mapapp.mapdata.viewport.viewport_geojson`` once
on a SQLAlchemy engine, records the statements it sends to PostgreSQL, and replays exactly
those through psycopg — the physical limit of serving that view.
"""
from __future__ import annotations

from dataclasses import dataclass

import psycopg
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from bench import load, peer_pygeoapi, servers
from bench.data import libpq_url

PEER_LIMIT_CAP = 10_000  # pygeoapi has no aggregation: it sends findings, at most this many


@dataclass(frozen=True)
class View:
    name: str
    bbox: tuple[float, float, float, float]
    zoom: int


# ~1.5 km × 1.5 km around Sonnenwall/Königstraße, and all of Duisburg.
VIEWS = [
    View("1.5 km view, zoom 16", (6.7512, 51.4263, 6.7728, 51.4397), 16),
    View("whole city, zoom 11", (6.62, 51.33, 6.84, 51.57), 11),
]


def bbox_param(bbox) -> str:
    return ",".join(f"{v:.6f}" for v in bbox)


def mapapp_path(port: int, view: View) -> tuple[str, str]:
    """The viewport API's request for ``view``; ``/api/findings`` while the viewport API is missing."""
    path = f"/api/viewport?bbox={bbox_param(view.bbox)}&zoom={view.zoom}"
    if servers.get(port, path)[0] == 200:
        return path, "/api/viewport"
    return f"/api/findings?bbox={bbox_param(view.bbox)}&limit=10000", "/api/findings (no viewport API yet)"


def captured_statements(url: str, view: View, flt=None) -> tuple[list[tuple[str, object]], str]:
    """The SQL ``viewport_geojson`` sends for ``view`` (with its parameters, and the finding filter
    ``flt`` if given) and the body it built."""
    from mapapp.mapdata.viewport import ViewportQuery, viewport_geojson

    engine = create_engine(url)
    statements: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    try:
        with Session(engine) as session:
            query = ViewportQuery(bbox=view.bbox, zoom=view.zoom)
            if flt is not None:
                query.filter = flt
            body, _newest = viewport_geojson(session, query)
    finally:
        engine.dispose()
    app_sql = [(s, p) for s, p in statements if not s.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT"))]
    return app_sql, body


def findings_in(url: str, view: View) -> int:
    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute("SELECT count(*) FROM findings WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
                            view.bbox).fetchone()[0]


def measure(url: str, app: servers.Server, peer: servers.Server | None, duration: float, var,
            concurrencies=(1, 16)) -> list[dict]:
    """One row per view, concurrency and contender: requests/s, p50, p95, what was sent."""
    rows = []
    for view in VIEWS:
        path, label = mapapp_path(app.port, view)
        statements, body = captured_statements(url, view)
        in_view = findings_in(url, view)
        peer_limit = min(max(in_view, 1), PEER_LIMIT_CAP)
        size = {"mapapp": len(servers.get(app.port, path)[2])}
        if peer:
            size["pygeoapi"] = len(servers.get(peer.port, peer_pygeoapi.items_path(view.bbox, peer_limit))[2])
        size["bare SQL"] = len(body.encode())
        print(f"  {view.name}: {in_view:,} findings in view; mapapp {label} {size['mapapp']:,} B, "
              f"pygeoapi limit {peer_limit:,}", flush=True)
        for c in concurrencies:
            contenders = [("mapapp", lambda: load.http(app.base + path, c, duration, var))]
            if peer:
                peer_url = peer.base + peer_pygeoapi.items_path(view.bbox, peer_limit)
                contenders.append(("pygeoapi", lambda: load.http(peer_url, c, duration, var)))
            contenders.append(("bare SQL", lambda: load.sql(libpq_url(url), statements, c, duration)))
            for who, run in contenders:
                result = run()
                print(f"    c={c:<2} {who:<9} {result.rps:8.1f} req/s  p50 {result.p50_ms:7.1f} ms"
                      f"  p95 {result.p95_ms:7.1f} ms  errors {result.errors}", flush=True)
                rows.append({"view": view.name, "concurrency": c, "who": who, "result": result,
                             "bytes": size.get(who, 0), "endpoint": label, "in_view": in_view,
                             "peer_limit": peer_limit})
    return rows
