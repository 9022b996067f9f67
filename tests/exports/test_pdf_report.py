"""The PDF report an official forwards (issue 12): the walk's concerns with status, people and
photos, tables by category and by Stadtbezirk and Ortsteil, a map with scale bar, north arrow
and a legend beside (never over) the data, German plurals, Duisburg time with the zone named,
and page breaks that leave no sum row or lone sentence on a page of its own."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from mapapp.exports import pdf_map, pdf_report
from mapapp.exports import report_data as rd
from mapapp.exports.pdf_report import write_pdf
from mapapp.exports.selection import Selection
from tests.exports.helpers import finding_in
from tests.exports.report_fixture import CONCERN_TITLE, add_line, make_report
from tests.factories import make_finding, make_walk

FOOTER = "Quelle: mapapp"
SECTIONS = {"Anliegen", "Funde"}


@pytest.fixture
def report(session, tmp_path):
    return make_report(session, tmp_path / "uploads")


def pdf_of(session, selection: Selection, storage=None) -> PdfReader:
    out = io.BytesIO()
    write_pdf(session, selection, out, rd.ReportContext(storage, None))
    return PdfReader(io.BytesIO(out.getvalue()))


def flat(reader: PdfReader) -> str:
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def body_lines(page) -> list[str]:
    """A page's lines of text without the footer."""
    return [line.strip() for line in page.extract_text().splitlines() if line.strip() and FOOTER not in line]


def test_the_walks_concerns_are_counted_and_listed_by_default(session, report):
    """Selection's default is findings only; the report still holds the walk's concern."""
    text_ = flat(pdf_of(session, Selection(walk_id=report.walk_id), report.storage))
    assert "3 Funde · 1 Anliegen" in text_
    assert "Anliegen nach Kategorie und Status" in text_
    assert CONCERN_TITLE in text_ and "Zwei Läden stehen leer." in text_


def test_a_concern_shows_status_people_findings_and_photos(session, report):
    text_ = flat(pdf_of(session, Selection(walk_id=report.walk_id, include_photos=True), report.storage))
    concern = text_.split(CONCERN_TITLE, 1)[1]
    assert re.match(r" Leeres Ladenlokal · Neu · Alt-Homberg · [^·]+ · 2 Funde · 2 Personen · 2 Fotos", concern)


def test_counts_use_the_singular_for_one(session, report):
    walk_id = make_walk(session, title="Kurze Runde")
    make_finding(session, walk_id=walk_id)
    session.commit()
    text_ = flat(pdf_of(session, Selection(walk_id=walk_id)))
    assert "1 Fund · 0 Anliegen" in text_ and "1 Funde ·" not in text_
    one_photo = flat(pdf_of(session, Selection(walk_id=report.walk_id), report.storage))
    assert "· 1 Foto" in one_photo and "1 Fotos" not in one_photo


def test_times_are_duisburg_time_with_the_zone_named(session, report):
    session.execute(text("UPDATE findings SET created_at = '2026-09-12 08:00+00' WHERE id = :id"),
                    {"id": report.finding_ids[0]})
    session.execute(text("UPDATE findings SET created_at = '2026-01-15 23:30+00' WHERE id = :id"),
                    {"id": report.finding_ids[1]})
    session.commit()
    text_ = flat(pdf_of(session, Selection(walk_id=report.walk_id), report.storage))
    assert "12.09.2026, 10:00 MESZ" in text_  # summer time, UTC+2
    assert "16.01.2026, 00:30 MEZ" in text_  # winter time, UTC+1: already the next day in Duisburg
    assert re.search(r"Bericht vom \d\d\.\d\d\.\d{4}, \d\d:\d\d MES?Z", text_)


def test_table_by_stadtbezirk_and_ortsteil(session, report):
    finding_in(session, "Hochfeld", walk_id=report.walk_id)
    session.commit()
    text_ = flat(pdf_of(session, Selection(walk_id=report.walk_id), report.storage))
    table = text_.split("Funde und Anliegen nach Stadtbezirk und Ortsteil", 1)[1]
    assert "Stadtbezirk Ortsteil Funde Anliegen" in table
    assert "Homberg/Ruhrort/Baerl Alt-Homberg 3 1" in table
    assert re.search(r"Mitte Hochfeld 1 0", table)
    assert "Summe 4 1" in table


class Placements:
    """Where a page draws its images and its texts (PDF points, origin bottom left)."""

    def __init__(self, page):
        self.images, self.texts = [], []

        def operand(operator, operands, cm, tm):
            if operator == b"Do":
                self.images.append((cm[4], cm[5], cm[4] + cm[0], cm[5] + cm[3]))

        def texts(content, cm, tm, font, size):
            if content.strip():
                self.texts.append((content.strip(), cm[4] + tm[4], cm[5] + tm[5]))

        page.extract_text(visitor_operand_before=operand, visitor_text=texts)

    def inside(self, box) -> list[str]:
        x0, y0, x1, y1 = box
        return [t for t, x, y in self.texts if x0 <= x <= x1 and y0 <= y <= y1]


def test_map_has_scale_bar_north_arrow_and_legend_outside_the_data(session, report):
    add_line(session, report)
    reader = pdf_of(session, Selection(walk_id=report.walk_id), report.storage)
    page = reader.pages[0]
    placed = Placements(page)
    words = [t for t, _x, _y in placed.texts]
    assert "N" in words  # the north arrow's letter
    assert "0" in words and any(re.fullmatch(r"\d+(,\d+)? k?m", w) for w in words)  # the scale bar
    assert any("Leeres Ladenlokal (2)" in w for w in words) and any("Anliegen (1)" in w for w in words)
    assert any("Radweg kaputt oder unsicher (2)" in w for w in words)
    the_map = max(placed.images, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
    assert placed.inside(the_map) == []  # legend, scale and arrow are drawn beside the map, not on it
    legend_y = [y for t, _x, y in placed.texts if "Anliegen (1)" in t]
    assert legend_y and legend_y[0] < the_map[1]  # below it


def test_scale_lengths_are_round_and_labelled_in_german():
    assert pdf_map.scale_length(10.0) == 250  # 35 mm at 10 m/mm: 350 m → 250 m
    assert pdf_map.scale_length(100.0) == 2500
    assert pdf_map.distance_label(250) == "250 m"
    assert pdf_map.distance_label(2500) == "2,5 km"
    assert pdf_map.distance_label(1000) == "1 km"
    assert pdf_map.distance_label(12.5) == "12,5 m"


def lone_sentence(lines: list[str]) -> bool:
    """A page holding nothing but (a section heading and) one sentence."""
    if lines and lines[0] in SECTIONS:
        lines = lines[1:]
    joined = " ".join(lines)
    return bool(lines) and "·" not in joined and len(re.findall(r"[.!?](?:\s|$)", joined)) == 1


DISTRICT_HEADER = "Stadtbezirk Ortsteil Funde Anliegen"


def district_rows(pages: list[list[str]]) -> list[list[str]]:
    """Per page, the rows of the table by Stadtbezirk and Ortsteil drawn there (the lines under
    its header that end in the two counts)."""
    found = []
    for lines in pages:
        start = lines.index(DISTRICT_HEADER) + 1 if DISTRICT_HEADER in lines else len(lines)
        rows = []
        for line in lines[start:]:
            if not re.search(r" \d+ \d+$", line):
                break
            rows.append(line)
        found.append(rows)
    return found


def test_no_page_is_a_lone_sentence_when_findings_are_summarised(session, report, monkeypatch):
    """Over LIST_LIMIT findings the listing once had a page of its own holding one sentence."""
    monkeypatch.setattr(pdf_report, "LIST_LIMIT", 2)
    reader = pdf_of(session, Selection(walk_id=report.walk_id), report.storage)
    text_ = flat(reader)
    assert "Die Funde sind in den Tabellen zusammengefasst" in text_
    for page in reader.pages:
        assert not lone_sentence(body_lines(page)), body_lines(page)


def test_district_table_ending_at_the_page_foot_keeps_rows_with_its_sum(session):
    """One more Ortsteil at a time until the table by Stadtbezirk and Ortsteil crosses the foot
    of the first page (with 8 Ortsteile today; the last assertion says when the window needs
    moving): no page may hold its sum row alone, no page a lone sentence."""
    walk_id = make_walk(session, title="Quer durch Duisburg")
    names = session.execute(text("SELECT name FROM districts WHERE level = 'ortsteil' ORDER BY name")).scalars().all()
    where = []
    for name in names[:5]:
        finding_in(session, name, walk_id=walk_id)
    for name in names[5:10]:
        finding_in(session, name, walk_id=walk_id)
        reader = pdf_of(session, Selection(walk_id=walk_id))
        pages = [body_lines(page) for page in reader.pages]
        for lines in pages:
            assert not lone_sentence(lines), lines
        tables = [rows for rows in district_rows(pages) if rows]
        assert tables[-1][-1] == f"Summe {len(where) + 6} 0"
        if len(tables) > 1:  # split: never the sum row alone, never a lone row under the caption
            assert len(tables[-1]) >= 3 and len(tables[0]) >= 2, tables
        where.append(next(i for i, rows in enumerate(district_rows(pages)) if rows and rows[-1].startswith("Summe")))
    assert where[0] == 0 and where[-1] > 0  # the sweep did cross the page's foot
