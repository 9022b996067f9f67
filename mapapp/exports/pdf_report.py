"""A PDF report of a walk or a district: a map figure, counts by category and status, the
concerns (and findings) with their texts and photo thumbnails, the date and the source.

The map is drawn locally with matplotlib (Agg) from the district outlines in EPSG:25832; no
tile server.

Bounded memory at any size: the map's points are read in batches into compact float arrays
(two floats per row), the tables are SQL aggregates (see ``report_data.load``), and the listing
is capped: concerns are listed up to :data:`LIST_LIMIT` (a note counts the rest); findings are
listed one by one only when there are at most :data:`LIST_LIMIT` of them (a walk's report), else
they are summarised by the tables and the note points to the CSV/GeoPackage. The PDF is written with fpdf2 in DejaVu Sans, the font matplotlib ships, so
umlauts and ß render without any system font.
"""
from __future__ import annotations

import dataclasses
import io
from array import array
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402

from mapapp.exports import ExportFormat, register  # noqa: E402
from mapapp.exports import report_data as rd  # noqa: E402
from mapapp.exports.progress import RowCounter, no_progress  # noqa: E402
from mapapp.exports.selection import Selection, concern_rows_sql, finding_rows_sql, rows_sql, stream_rows  # noqa: E402

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
THUMB_MM = 32
LIST_LIMIT = 200
POINT_BATCH = 5000


def _rings(geometry: dict):
    """Each outer and inner ring of a (Multi)Polygon as lists of x and y."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield [p[0] for p in ring], [p[1] for p in ring]


def map_points(session, selection: Selection, progress=no_progress) -> dict[tuple[str, str], tuple]:
    """Easting/northing arrays per (kind, category), read in batches: 16 bytes per row."""
    sql, params = rows_sql(selection)
    points: dict[tuple[str, str], tuple[array, array]] = {}
    counter = RowCounter(progress, "map")
    for row in stream_rows(session, f"SELECT kind, category, easting, northing FROM ({sql}) AS m", params,
                           batch=POINT_BATCH):
        xs, ys = points.setdefault((row["kind"], row["category"]), (array("d"), array("d")))
        xs.append(row["easting"])
        ys.append(row["northing"])
        counter.step()
    counter.finish()
    return {key: (np.frombuffer(xs), np.frombuffer(ys)) for key, (xs, ys) in points.items()}


def map_png(data: rd.ReportData, points: dict) -> bytes:
    """The findings (by category) and concerns over the district outlines, as a PNG."""
    fig, ax = plt.subplots(figsize=(7.5, 6), dpi=150)
    for feature in data.districts.get("features", []):
        for xs, ys in _rings(feature["geometry"]):
            ax.plot(xs, ys, color="#555555", linewidth=0.8)
        label = feature["properties"].get("label")
        if label:
            ax.annotate(feature["properties"]["name"], label, fontsize=7, color="#555555", ha="center")
    many = data.total("finding") > 2000
    for slug, label in data.labels.items():
        if ("finding", slug) in points:
            xs, ys = points[("finding", slug)]
            ax.scatter(xs, ys, s=4 if many else 28, c=data.colours[slug], edgecolors="white",
                       linewidths=0 if many else 0.6, label=f"{label} ({len(xs)})", zorder=3, rasterized=True)
    concerns = [points[key] for key in points if key[0] == "concern"]
    if concerns:
        xs, ys = np.concatenate([c[0] for c in concerns]), np.concatenate([c[1] for c in concerns])
        ax.scatter(xs, ys, s=110, facecolors="none", edgecolors="#111111", linewidths=1.8,
                   label=f"Anliegen ({len(xs)})", zorder=4, rasterized=True)
    _zoom(ax, data)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if data.labels:
        ax.legend(loc="upper right" if many else "best", fontsize=7, framealpha=0.9)
    ax.set_title("ETRS89 / UTM 32N (EPSG:25832)", fontsize=7, loc="right", color="#555555")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _zoom(ax, data: rd.ReportData) -> None:
    """Frame the selected points and the outlines around them, with a margin."""
    b = data.bounds
    points = [(b["min_e"], b["min_n"]), (b["max_e"], b["max_n"])] if b.get("min_e") is not None else []
    for feature in data.districts.get("features", []):
        for xs, ys in _rings(feature["geometry"]):
            points += [(min(xs), min(ys)), (max(xs), max(ys))]
    if not points:
        return
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    margin = max(200.0, 0.05 * max(max(xs) - min(xs), max(ys) - min(ys)))
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin, max(ys) + margin)


def count_table(data: rd.ReportData, kind: str) -> tuple[list[str], list[list[str]]]:
    """Header and body of the counts by category (rows) and status (columns), with totals."""
    counts = [(c, s, n) for k, c, s, n in data.counts if k == kind]
    statuses = [s for s in rd.STATUS_DE if any(status == s for _c, status, _n in counts)]
    body = []
    for slug, label in data.labels.items():
        mine = {status: n for c, status, n in counts if c == slug}
        if mine:
            body.append([label, *[str(mine.get(s, 0)) for s in statuses], str(sum(mine.values()))])
    body.append(["Summe", *[str(sum(n for _c, st, n in counts if st == s)) for s in statuses],
                 str(sum(n for _c, _s, n in counts))])
    return ["Kategorie", *[rd.status_label(s) for s in statuses], "Gesamt"], body


class _Report(FPDF):
    def __init__(self, data: rd.ReportData):
        super().__init__(format="A4")
        self.data = data
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(data.title)
        self.set_creator("mapapp")
        self.set_auto_page_break(True, margin=18)

    def footer(self):
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.data.source_line} · Seite {self.page_no()}", align="C")


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FONT, "", 10)


def _table(pdf: FPDF, header: list[str], body: list[list[str]]) -> None:
    pdf.set_font(FONT, "", 9)
    widths = (4, *([1] * (len(header) - 1)))
    with pdf.table(col_widths=widths, text_align=("LEFT", *(["RIGHT"] * (len(header) - 1))),
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))) as table:
        for values in [header, *body]:
            table.row(values)
    pdf.ln(3)


def _item(pdf: FPDF, row: dict, ctx: rd.ReportContext) -> None:
    """One concern or finding: heading, facts, text, thumbnails in a row."""
    heading = row.get("title") or row["category_label"]
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 5, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    facts = [row["category_label"], rd.status_label(row["status"]), row.get("ortsteil") or "",
             row["created_at"].strftime("%d.%m.%Y") if row.get("created_at") else ""]
    if row["kind"] == "concern":
        facts.append(f"{row['confirmations']} Funde")
    pdf.multi_cell(0, 4.5, " · ".join(f for f in facts if f), new_x="LMARGIN", new_y="NEXT")
    if row.get("description"):
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, row["description"], new_x="LMARGIN", new_y="NEXT")
    thumbs = rd.thumbs(ctx.storage, row)
    if thumbs:
        if pdf.will_page_break(THUMB_MM + 2):
            pdf.add_page()
        y = pdf.get_y() + 1
        for i, jpeg in enumerate(thumbs):
            pdf.image(io.BytesIO(jpeg), x=pdf.l_margin + i * (THUMB_MM + 3), y=y, h=THUMB_MM)
        pdf.set_y(y + THUMB_MM + 1)
    pdf.ln(3)


def _listing(pdf: FPDF, session, selection: Selection, data: rd.ReportData, ctx, progress) -> None:
    """The concerns (up to LIST_LIMIT) and, for a small selection, the findings one by one."""
    sections = []
    if data.total("concern"):
        sections.append(("Anliegen", "concern", concern_rows_sql))
    if data.total("finding"):
        sections.append(("Funde", "finding", finding_rows_sql))
    for caption, kind, sql_of in sections:
        total = data.total(kind)
        pdf.add_page()
        _heading(pdf, caption, 14)
        if kind == "finding" and total > LIST_LIMIT:
            pdf.multi_cell(0, 5, f"{total} Funde, zusammengefasst in den Tabellen oben; jeder einzelne Fund steht "
                                 "in der CSV-Datei und im GeoPackage.", new_x="LMARGIN", new_y="NEXT")
            continue
        sql, params = sql_of(selection)
        counter = RowCounter(progress, "list")
        for row in stream_rows(session, f"SELECT * FROM ({sql}) AS l LIMIT {LIST_LIMIT}", params, batch=100):
            _item(pdf, row, ctx)
            counter.step()
        counter.finish()
        if total > LIST_LIMIT:
            pdf.multi_cell(0, 5, f"… und {total - LIST_LIMIT} weitere Anliegen, vollständig in der CSV-Datei "
                                 "und im GeoPackage.", new_x="LMARGIN", new_y="NEXT")


def build_pdf(session, selection: Selection, data: rd.ReportData, ctx: rd.ReportContext,
              progress=no_progress) -> bytes:
    pdf = _Report(data)
    pdf.add_page()
    _heading(pdf, data.title, 16)
    findings, concerns = data.total("finding"), data.total("concern")
    pdf.multi_cell(0, 5, f"Bericht vom {data.stand.strftime('%d.%m.%Y')} · {findings} Funde · "
                         f"{concerns} Anliegen", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if not findings and not concerns:
        pdf.multi_cell(0, 5, "Keine Funde oder Anliegen in dieser Auswahl.", new_x="LMARGIN", new_y="NEXT")
    png = map_png(data, map_points(session, selection, progress))
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=pdf.epw)
    pdf.ln(3)
    for caption, kind in (("Funde nach Kategorie und Status", "finding"),
                          ("Anliegen nach Kategorie und Status", "concern")):
        if data.total(kind):
            _heading(pdf, caption, 12)
            _table(pdf, *count_table(data, kind))
    _listing(pdf, session, selection, data, ctx, progress)
    progress("pdf", findings + concerns)
    return bytes(pdf.output())


def write_pdf(session, selection: Selection, out: BinaryIO, ctx: rd.ReportContext | None = None,
              progress=no_progress) -> None:
    selection = dataclasses.replace(selection, srid=25832)
    data = rd.load(session, selection, srid=25832)
    out.write(build_pdf(session, selection, data, ctx or rd.report_context(), progress))


def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
    write_pdf(session, selection, out, progress=progress)


register(ExportFormat("pdf", "pdf", "application/pdf", write, "Bericht (PDF)"))
