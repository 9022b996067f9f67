"""Exports of 100,000 findings in bounded memory (issue 5: "without holding them all in memory").

One module fixture loads 100,000 findings inside Duisburg in one SQL statement (PostGIS'
ST_GeneratePoints; districts assigned in the same statement, with the per-row triggers off for
speed) and removes them at the end. Each export is written into a file while tracemalloc records
the peak of Python's allocations (numpy's included). The hand-over ZIP holds the GeoPackage, the
CSV, the HTML map and the PDF, so one run of it measures each of them too: the progress callback
takes the peak at every change of member. The bound is far below holding the rows: the memory
5,000 rows take as dicts (as the reports once held them), scaled to 100,000, is the reference and
must lie far above it; so is the GeoJSON file itself.
"""
import time
import tracemalloc

import pytest
from sqlalchemy import text

from mapapp.db import db
from mapapp.exports import load_formats
from mapapp.exports.selection import Selection

N = 100_000
BOUND = 40 * 1024 * 1024  # bytes of Python allocations at the peak of one export
MB = 2**20


@pytest.fixture(autouse=True)
def clean_slate():
    """Keep the rows between this module's tests (conftest's clean_slate would truncate them)."""
    yield


@pytest.fixture(scope="module")
def many(app):
    with app.app_context():
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        db.session.execute(text("""
            INSERT INTO findings (id, category_slug, description, geom, status, created_at, updated_at,
                                  ortsteil_id, stadtbezirk_id)
            SELECT gen_random_uuid(),
                   (ARRAY['cycle_path','noise','empty_shop','litter','lighting','barrier'])[1 + d.path[1] % 6],
                   'Fund Nr. ' || d.path[1] || ': Gehweg & Radweg <uneben> – Straße, Grünfläche',
                   d.geom, 'new', now() - d.path[1] * interval '1 minute', now(),
                   (SELECT o.id FROM districts o WHERE o.level = 'ortsteil' AND ST_Intersects(o.geom, d.geom) LIMIT 1),
                   (SELECT s.id FROM districts s WHERE s.level = 'stadtbezirk' AND ST_Intersects(s.geom, d.geom) LIMIT 1)
            FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM districts WHERE level = 'stadtbezirk'),
                                           :n, 4711)) AS d
        """), {"n": N})
        db.session.commit()
        db.session.remove()
    yield N
    with app.app_context():
        db.session.execute(text("TRUNCATE findings, walks, participants, users, teams, concerns CASCADE"))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def held(app, many) -> int:
    """Bytes that holding all rows as dicts would take, from 5,000 rows measured."""
    from mapapp.exports.selection import rows_sql

    sample = 5000
    sql, params = rows_sql(Selection(what="findings"))
    with app.app_context():
        tracemalloc.start()
        try:
            rows = [dict(row) for row in db.session.execute(text(f"{sql} LIMIT {sample}"), params).mappings()]
            size = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        assert len(rows) == sample
        db.session.remove()
    return size * N // sample


class Peaks:
    """A progress callback noting the peak of traced memory (and the time) per part (``daten.csv`` …)."""

    def __init__(self):
        self.peaks, self.seconds, self.part, self.started = {}, {}, None, time.monotonic()

    def __call__(self, stage, done):
        part = stage.split(":")[0]
        if part != self.part:
            self.close()
            self.part = part

    def close(self):
        if self.part is not None:
            self.peaks[self.part] = max(self.peaks.get(self.part, 0), tracemalloc.get_traced_memory()[1])
            self.seconds[self.part] = time.monotonic() - self.started
            tracemalloc.reset_peak()
        self.started = time.monotonic()


def traced_export(session, name: str, path) -> tuple[int, Peaks]:
    """Write format ``name`` of all findings into ``path``: (overall peak in bytes, the parts)."""
    fmt, peaks = load_formats()[name], Peaks()
    tracemalloc.start()
    try:
        with path.open("wb") as out:
            fmt.write(session, Selection(what="findings", include_photos=False), out, progress=peaks)
        overall = tracemalloc.get_traced_memory()[1]
        peaks.close()
        return max([overall, *peaks.peaks.values()]), peaks
    finally:
        tracemalloc.stop()


def report(name, peak, path):
    print(f"\n{name}: peak {peak / MB:.1f} MB of Python memory, file {path.stat().st_size / MB:.1f} MB")


def test_holding_the_rows_would_break_the_bound(held):
    print(f"\nholding {N} rows as dicts: about {held / MB:.0f} MB")
    assert held > 5 * BOUND


def test_geojson_of_100k_findings_stays_bounded(session, many, tmp_path):
    path = tmp_path / "export.geojson"
    peak, _parts = traced_export(session, "geojson", path)
    report("geojson", peak, path)
    assert path.stat().st_size > 1.5 * BOUND  # holding the output alone would break the bound
    assert peak < BOUND


def test_handover_of_100k_findings_and_each_member_stay_bounded(session, many, tmp_path):
    import zipfile

    path = tmp_path / "handover.zip"
    peak, parts = traced_export(session, "handover", path)
    report("handover", peak, path)
    with zipfile.ZipFile(path) as bundle:
        sizes = {info.filename: info.file_size for info in bundle.infolist()}
    for part, part_peak in parts.peaks.items():
        print(f"  {part}: peak {part_peak / MB:.1f} MB, {sizes.get(part, 0) / MB:.1f} MB, "
              f"{parts.seconds[part]:.0f} s under tracemalloc")
    assert set(parts.peaks) >= {"daten.gpkg", "daten.csv", "karte.html", "bericht.pdf"}
    assert sizes["daten.csv"] > 0.5 * BOUND and sizes["karte.html"] > 0.25 * BOUND  # every row is in them
    assert all(part_peak < BOUND for part_peak in parts.peaks.values()), parts.peaks
    assert peak < BOUND
