"""The HTML map (issue 12): line findings drawn as lines, layers named in words, times in
Duisburg time (the browser test opens it: tests/browser/test_html_export.py)."""
import io
import json
import re

import pytest
from sqlalchemy import text

from mapapp.exports import report_data as rd
from mapapp.exports.html_map import DATA_ID, write_html
from mapapp.exports.selection import Selection
from tests.exports.report_fixture import ROAD, add_line, make_report
from tests.factories import make_finding, make_walk

TILES = rd.Tiles("https://tiles.example.org/{z}/{x}/{y}.png", "© Beispiel")


@pytest.fixture
def report(session, tmp_path):
    return make_report(session, tmp_path / "uploads")


def html_of(session, walk_id, tiles=None) -> str:
    out = io.BytesIO()
    write_html(session, Selection(walk_id=walk_id, what="both"), out, rd.ReportContext(None, tiles))
    return out.getvalue().decode("utf-8")


def drawn_rows(document: str) -> list:
    data = re.search(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', document, re.S).group(1)
    return json.loads(data)


def layer_names(document: str) -> tuple[list[str], list[str]]:
    """The names of the layer control's base layers and overlays."""
    block = re.search(r"base_layers : \{(.*?)\},\s*overlays :\s*\{(.*?)\},", document, re.S)
    names = lambda part: re.findall(r'^\s*("(?:[^"\\]|\\.)*") :', part, re.M)  # noqa: E731
    return [json.loads(n) for n in names(block.group(1))], [json.loads(n) for n in names(block.group(2))]


def test_a_line_finding_is_drawn_as_a_line(session, report):
    add_line(session, report)
    document = html_of(session, report.walk_id)
    rows = {row[4]["text"]: row for row in drawn_rows(document)}
    line = rows["Radweg auf 200 m holprig"]
    assert line[5] == [[lat, lon] for lon, lat in ROAD]  # Leaflet's order: latitude first
    assert all(len(row) == 5 for text, row in rows.items() if text != "Radweg auf 200 m holprig")  # points
    assert "L.polyline(d[5]" in document and "export-line" in document


def test_layers_are_named_in_words(session, report):
    add_line(session, report)
    base, overlays = layer_names(html_of(session, report.walk_id, TILES))
    assert base == ["Hintergrundkarte"]  # not the tile server's address
    assert overlays == ["Grenzen der Ortsteile", "Funde: Leeres Ladenlokal (2)",
                        "Funde: Radweg kaputt oder unsicher (2)", "Anliegen (1)"]


def test_a_category_of_lines_only_shows_a_line_in_the_legend(session, report):
    walk_id = make_walk(session, title="Radwege")
    make_finding(session, category="cycle_path", walk_id=walk_id,
                 geometry=json.dumps({"type": "LineString", "coordinates": ROAD}))
    session.commit()
    document = html_of(session, walk_id)
    assert re.search(r'export-legend__swatch export-legend__swatch--line"[^>]*></span>Radweg kaputt oder unsicher \(1\)',
                     document)
    assert 'export-legend__swatch--line"' not in html_of(session, report.walk_id)  # points and lines: a dot


def test_popup_times_are_duisburg_time_with_the_zone(session, report):
    session.execute(text("UPDATE findings SET created_at = '2026-09-12 08:00+00' WHERE id = :id"),
                    {"id": report.finding_ids[0]})
    session.commit()
    metas = [row[4]["meta"] for row in drawn_rows(html_of(session, report.walk_id))]
    assert any(meta.endswith("12.09.2026, 10:00 MESZ") for meta in metas)
