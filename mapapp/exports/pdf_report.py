"""A PDF report of a walk or a district: a map figure, counts by category and status, the
concerns (and findings) with their texts and photo thumbnails, the date and the source.

The map is drawn locally with matplotlib (Agg) from the district outlines in EPSG:25832; no
tile server. The PDF is written with fpdf2 in DejaVu Sans, the font matplotlib ships, so
umlauts and ß render without any system font.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402

from mapapp.exports import ExportFormat, register  # noqa: E402
from mapapp.exports import report_data as rd  # noqa: E402
from mapapp.exports.selection import Selection  # noqa: E402

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
THUMB_MM = 32


def _rings(geometry: dict):
    """Each outer and inner ring of a (Multi)Polygon as lists of x and y."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield [p[0] for p in ring], [p[1] for p in ring]


def map_png(data: rd.ReportData) -> bytes:
    """The findings (by category) and concerns over the district outlines, as a PNG."""
    fig, ax = plt.subplots(figsize=(7.5, 6), dpi=150)
    for feature in data.districts.get("features", []):
        for xs, ys in _rings(feature["geometry"]):
            ax.plot(xs, ys, color="#555555", linewidth=0.8)
        label = feature["properties"].get("label")
        if label:
            ax.annotate(feature["properties"]["name"], label, fontsize=7, color="#555555", ha="center")
    for slug, label in data.labels.items():
        rows = [r for r in data.findings if r["category"] == slug]
        if rows:
            ax.scatter([r["easting"] for r in rows], [r["northing"] for r in rows], s=28, c=data.colours[slug],
                       edgecolors="white", linewidths=0.6, label=f"{label} ({len(rows)})", zorder=3)
    if data.concerns:
        ax.scatter([r["easting"] for r in data.concerns], [r["northing"] for r in data.concerns], s=110,
                   facecolors="none", edgecolors="#111111", linewidths=1.8, label=f"Anliegen ({len(data.concerns)})",
                   zorder=4)
    _zoom(ax, data)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if data.labels or data.concerns:
        ax.legend(loc="best", fontsize=7, framealpha=0.9)
    ax.set_title("ETRS89 / UTM 32N (EPSG:25832)", fontsize=7, loc="right", color="#555555")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _zoom(ax, data: rd.ReportData) -> None:
    """Frame the selected points and the outlines around them, with a margin."""
    points = [(r["easting"], r["northing"]) for r in data.findings + data.concerns]
    for feature in data.districts.get("features", []):
        for xs, ys in _rings(feature["geometry"]):
            points += [(min(xs), min(ys)), (max(xs), max(ys))]
    if not points:
        return
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    margin = max(200.0, 0.05 * max(max(xs) - min(xs), max(ys) - min(ys)))
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin, max(ys) + margin)


def count_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Header and body of the counts by category (rows) and status (columns), with totals."""
    statuses = [s for s in rd.STATUS_DE if any(r["status"] == s for r in rows)]
    categories: dict[str, str] = {}
    for row in rows:
        categories.setdefault(row["category"], row["category_label"])
    body = []
    for slug, label in categories.items():
        mine = [r for r in rows if r["category"] == slug]
        body.append([label, *[str(sum(r["status"] == s for r in mine)) for s in statuses], str(len(mine))])
    body.append(["Summe", *[str(sum(r["status"] == s for r in rows)) for s in statuses], str(len(rows))])
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


def build_pdf(data: rd.ReportData, ctx: rd.ReportContext) -> bytes:
    pdf = _Report(data)
    pdf.add_page()
    _heading(pdf, data.title, 16)
    pdf.multi_cell(0, 5, f"Bericht vom {data.stand.strftime('%d.%m.%Y')} · {len(data.findings)} Funde · "
                         f"{len(data.concerns)} Anliegen", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if not data.findings and not data.concerns:
        pdf.multi_cell(0, 5, "Keine Funde oder Anliegen in dieser Auswahl.", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(map_png(data)), x=pdf.l_margin, w=pdf.epw)
    pdf.ln(3)
    for caption, rows in (("Funde nach Kategorie und Status", data.findings),
                          ("Anliegen nach Kategorie und Status", data.concerns)):
        if rows:
            _heading(pdf, caption, 12)
            _table(pdf, *count_table(rows))
    for caption, rows in (("Anliegen", data.concerns), ("Funde", data.findings)):
        if rows:
            pdf.add_page()
            _heading(pdf, caption, 14)
            for row in rows:
                _item(pdf, row, ctx)
    return bytes(pdf.output())


def write_pdf(session, selection: Selection, out: BinaryIO, ctx: rd.ReportContext | None = None) -> None:
    data = rd.load(session, selection, srid=25832)
    out.write(build_pdf(data, ctx or rd.report_context()))


def write(session, selection: Selection, out: BinaryIO) -> None:
    write_pdf(session, selection, out)


register(ExportFormat("pdf", "pdf", "application/pdf", write, "Bericht (PDF)"))
