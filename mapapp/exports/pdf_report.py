"""A PDF report of a walk or a district: a map with scale bar, north arrow and legend, counts by
category and status and by Stadtbezirk and Ortsteil, the concerns (and findings) with their
status, people, texts and photo thumbnails, the time made (Duisburg time) and the source.

A report always covers the concerns: one asked for findings (the selection's default) covers the
findings and the concerns that hold one of them; one asked for concerns covers those alone.

The map is drawn locally (see :mod:`mapapp.exports.pdf_map`); no tile server. Page breaks keep
headings with what follows, items whole and no table's sum row alone (:mod:`pdf_layout`).

Bounded memory at any size: the map's points are read in batches into compact float arrays,
the tables are SQL aggregates (see ``report_data.load``), and the listing is capped: concerns
are listed up to :data:`LIST_LIMIT` (a note says so); findings are listed one by one only when
there are at most :data:`LIST_LIMIT` of them (a walk's report), else they are summarised by the
tables and a note points to the CSV/GeoPackage. The PDF is written with fpdf2 in DejaVu Sans,
the font matplotlib ships, so umlauts and ß render without any system font.
"""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import BinaryIO

import matplotlib
from fpdf import FPDF

from mapapp.exports import ExportFormat, register
from mapapp.exports import pdf_layout as layout
from mapapp.exports import pdf_map
from mapapp.exports import report_data as rd
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.selection import Selection, concern_rows_sql, finding_rows_sql, stream_rows
from mapapp.statuses import CONCERN_STATUSES

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = layout.FONT
THUMB_MM = 32
LIST_LIMIT = 200
NO_DISTRICT = "ohne Zuordnung"
# Photos of a listed row, counted whether or not the export includes them.
PHOTO_COUNT_SQL = {
    "finding": "SELECT count(*) FROM photos p WHERE p.finding_id = CAST(l.id AS uuid)",
    "concern": ("SELECT count(*) FROM photos p JOIN findings pf ON pf.id = p.finding_id "
                "WHERE pf.concern_id = CAST(l.id AS uuid)"),
}


def report_selection(selection: Selection) -> Selection:
    """What the report covers: in EPSG:25832, and always the concerns (see the module doc)."""
    return dataclasses.replace(selection, srid=25832, what="concerns" if selection.what == "concerns" else "both")


def count_table(data: rd.ReportData, kind: str) -> tuple[list[str], list[list[str]]]:
    """Header and body of the counts by category (rows) and status (columns), with totals."""
    counts = [(c, s, n) for k, c, s, n in data.counts if k == kind]
    statuses = [s for s in CONCERN_STATUSES if any(status == s for _c, status, _n in counts)]
    body = []
    for slug, label in data.labels.items():
        mine = {status: n for c, status, n in counts if c == slug}
        if mine:
            body.append([label, *[str(mine.get(s, 0)) for s in statuses], str(sum(mine.values()))])
    body.append(["Summe", *[str(sum(n for _c, st, n in counts if st == s)) for s in statuses],
                 str(sum(n for _c, _s, n in counts))])
    return ["Kategorie", *[rd.status_label(s) for s in statuses], "Gesamt"], body


def district_table(data: rd.ReportData) -> tuple[list[str], list[list[str]]]:
    """Header and body of the counts by Stadtbezirk and Ortsteil, with totals."""
    body = [[stadtbezirk or NO_DISTRICT, ortsteil or "–", str(findings), str(concerns)]
            for stadtbezirk, ortsteil, findings, concerns in data.by_district]
    body.append(["Summe", "", str(sum(r[2] for r in data.by_district)), str(sum(r[3] for r in data.by_district))])
    return ["Stadtbezirk", "Ortsteil", "Funde", "Anliegen"], body


class _Report(FPDF):
    def __init__(self, data: rd.ReportData):
        super().__init__(format="A4")
        self.data = data
        layout.add_fonts(self, FONT_DIR)
        self.set_title(data.title)
        self.set_creator("mapapp")
        self.set_auto_page_break(True, margin=18)
        self.measure = layout.Measure(self)

    def footer(self):
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.data.source_line} · Seite {self.page_no()}", align="C")


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 10)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def _facts(row: dict) -> str:
    """Category, status, place, time and the counts of one concern or finding."""
    facts = [row["category_label"], rd.status_label(row["status"]), row.get("ortsteil") or "",
             rd.local_time(row["created_at"]) if row.get("created_at") else ""]
    if row["kind"] == "concern":
        if row.get("findings_count") is not None:
            facts.append(rd.count_de(row["findings_count"], "Fund", "Funde"))
        if row.get("people") is not None:
            facts.append(rd.count_de(row["people"], "Person", "Personen"))
    elif row.get("confirmations"):
        facts.append(rd.count_de(row["confirmations"], "Bestätigung", "Bestätigungen"))
    if row["photo_count"]:
        facts.append(rd.count_de(row["photo_count"], "Foto", "Fotos"))
    return " · ".join(fact for fact in facts if fact)


def _draw_item(pdf: FPDF, row: dict, thumbs: list[bytes]) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, row.get("title") or row["category_label"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 4.5, _facts(row), new_x="LMARGIN", new_y="NEXT")
    if row.get("description"):
        _paragraph(pdf, row["description"])
    if thumbs:
        y = pdf.get_y() + 1
        for i, jpeg in enumerate(thumbs):
            pdf.image(io.BytesIO(jpeg), x=pdf.l_margin + i * (THUMB_MM + 3), y=y, h=THUMB_MM)
        pdf.set_y(y + THUMB_MM + 1)
    pdf.ln(3)


def _item(pdf: _Report, row: dict, ctx: rd.ReportContext, opening=None) -> None:
    """One concern or finding, kept on one page: heading, facts, text, thumbnails in a row;
    ``opening(pdf)`` (a section's heading) is kept on the page of the first item."""
    thumbs = rd.thumbs(ctx.storage, row)

    def draw(target, thumbs):
        if opening:
            opening(target)
        _draw_item(target, row, thumbs)

    text_only = pdf.measure.height(lambda scratch: draw(scratch, []))
    layout.keep_whole(pdf, text_only + (THUMB_MM + 2 if thumbs else 0))
    draw(pdf, thumbs)


def _section_opening(caption: str, total: int, noun: tuple[str, str]):
    """The section's heading, with a note under it when the listing stops at LIST_LIMIT."""
    def opening(pdf: FPDF) -> None:
        pdf.ln(4)
        _heading(pdf, caption, 14)
        if total > LIST_LIMIT:
            _paragraph(pdf, f"Die ersten {LIST_LIMIT} von {rd.count_de(total, *noun)}; alle stehen in der "
                            "CSV-Datei und im GeoPackage.")
            pdf.ln(2)
    return opening


def _listing(pdf: _Report, session, selection: Selection, data: rd.ReportData, ctx, progress) -> None:
    """The concerns (up to LIST_LIMIT) and, for a small selection, the findings one by one.
    Notes about what is left out stand under the section's heading, never alone at its end."""
    sections = []
    if data.total("concern"):
        sections.append(("Anliegen", "concern", concern_rows_sql, ("Anliegen", "Anliegen")))
    if data.total("finding") and data.total("finding") <= LIST_LIMIT:
        sections.append(("Funde", "finding", finding_rows_sql, ("Fund", "Funde")))
    for caption, kind, sql_of, noun in sections:
        opening = _section_opening(caption, data.total(kind), noun)
        sql, params = sql_of(selection)
        counter = RowCounter(progress, "list")
        listed = f"SELECT l.*, ({PHOTO_COUNT_SQL[kind]}) AS photo_count FROM ({sql}) AS l LIMIT {LIST_LIMIT}"
        for row in stream_rows(session, listed, params, batch=100):
            _item(pdf, row, ctx, opening if counter.done == 0 else None)
            counter.step()
        counter.finish()


def _first_page(pdf: _Report, data: rd.ReportData, layers: pdf_map.Layers) -> None:
    """Title, what the report holds, notes, then the map with scale bar, north arrow and legend."""
    _heading(pdf, data.title, 16)
    findings, concerns = data.total("finding"), data.total("concern")
    _paragraph(pdf, f"Bericht vom {rd.local_time(data.made)} · {rd.count_de(findings, 'Fund', 'Funde')} · "
                    f"{rd.count_de(concerns, 'Anliegen', 'Anliegen')}")
    if not findings and not concerns:
        _paragraph(pdf, "Keine Funde oder Anliegen in dieser Auswahl.")
    elif findings > LIST_LIMIT:
        _paragraph(pdf, "Die Funde sind in den Tabellen zusammengefasst; jeder einzelne Fund steht in der "
                        "CSV-Datei und im GeoPackage.")
    pdf.ln(2)
    extent = pdf_map.frame(data, layers)
    x, y, width = pdf.l_margin, pdf.get_y(), pdf.epw
    height = pdf_map.figure_height(width)
    pdf.image(io.BytesIO(pdf_map.map_png(data, layers, extent)), x=x, y=y, w=width, h=height)
    pdf.set_draw_color(85)
    pdf.rect(x, y, width, height)
    pdf.set_draw_color(0)
    y += height + 1
    if extent:
        y += pdf_map.draw_scale_and_north(pdf, extent, x, y, width)
    y += pdf_map.draw_legend(pdf, pdf_map.legend_entries(data), x, y, width)
    pdf.set_y(y + 4)


def _tables(pdf: _Report, data: rd.ReportData) -> None:
    tables = []
    for caption, kind in (("Funde nach Kategorie und Status", "finding"),
                          ("Anliegen nach Kategorie und Status", "concern")):
        if data.total(kind):
            header, body = count_table(data, kind)
            tables.append((caption, header, body, layout.Columns((4, *([1] * (len(header) - 1))))))
    if data.by_district:
        tables.append(("Funde und Anliegen nach Stadtbezirk und Ortsteil", *district_table(data),
                       layout.Columns((3, 3, 1, 1), texts=2)))
    for caption, header, body, columns in tables:
        layout.kept_table(pdf, pdf.measure, header, body, columns,
                          caption=lambda target, caption=caption: _heading(target, caption, 12))
        pdf.ln(3)


def build_pdf(session, selection: Selection, data: rd.ReportData, ctx: rd.ReportContext,
              progress=no_progress) -> bytes:
    pdf = _Report(data)
    pdf.add_page()
    _first_page(pdf, data, pdf_map.read_layers(session, selection, progress))
    _tables(pdf, data)
    _listing(pdf, session, selection, data, ctx, progress)
    progress("pdf", data.total("finding") + data.total("concern"))
    return bytes(pdf.output())


def write_pdf(session, selection: Selection, out: BinaryIO, ctx: rd.ReportContext | None = None,
              progress=no_progress) -> None:
    selection = report_selection(selection)
    data = rd.load(session, selection, srid=25832)
    out.write(build_pdf(session, selection, data, ctx or rd.report_context(), progress))


def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
    write_pdf(session, selection, out, progress=progress)


register(ExportFormat("pdf", "pdf", "application/pdf", write, "Bericht (PDF)"))
