"""Page breaks of the PDF report: blocks kept whole, tables split only where no page is left
holding a lone sum row or a heading without rows.

fpdf2 breaks a table wherever a row no longer fits, so a table ending just past a page's foot
leaves only its "Summe" row on the next page. Here each row is measured first — drawn by the
same :func:`draw_table` on a scratch document with one very tall page, so the heights are
exactly those of the real drawing — and the rows are cut into one chunk per page: the caption
never ends a page, the first page of a table holds at least :data:`MIN_FIRST` rows, the last
at least :data:`KEEP_LAST` (the sum row and the rows before it). Each chunk is drawn as a
table of its own under the repeated header.
"""
from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT = "DejaVu"
TABLE_SIZE = 9
MIN_FIRST = 2
KEEP_LAST = 3
HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))


def add_fonts(pdf: FPDF, font_dir) -> None:
    pdf.add_font(FONT, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))


@dataclass(frozen=True)
class Columns:
    """A table's relative column widths; the first ``texts`` columns are text (left-aligned),
    the others numbers (right-aligned)."""

    widths: tuple[float, ...]
    texts: int = 1


def draw_table(pdf: FPDF, header: list[str] | None, rows: list[list[str]], columns: Columns) -> None:
    """The report's table style: bold grey header, text left, numbers right."""
    pdf.set_font(FONT, "", TABLE_SIZE)
    align = (*(["LEFT"] * columns.texts), *(["RIGHT"] * (len(columns.widths) - columns.texts)))
    with pdf.table(col_widths=columns.widths, text_align=align, first_row_as_headings=header is not None,
                   headings_style=HEADINGS) as table:
        for values in ([header] if header else []) + rows:
            table.row(values)


class Measure:
    """Heights of what the report draws, taken on a scratch page as tall as :data:`HEIGHT_MM`.

    The scratch document shares the report's parsed fonts (about 9 MB for DejaVu's two styles)
    instead of parsing them again; it measures the texts the report then draws, so the glyphs it
    marks as used are the report's own."""

    HEIGHT_MM = 5000

    def __init__(self, pdf: FPDF):
        self.pdf = pdf
        self.scratch = FPDF(format=(pdf.w, self.HEIGHT_MM))
        self.scratch.set_margins(pdf.l_margin, pdf.t_margin, pdf.r_margin)
        self.scratch.set_auto_page_break(False)
        self.scratch.fonts.update(pdf.fonts)
        self.scratch.add_page()

    def height(self, draw) -> float:
        """How far ``draw(pdf)`` moves down the page, starting in the document's current font."""
        if self.pdf.font_family:
            self.scratch.set_font(self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt)
        self.scratch.set_y(self.scratch.t_margin)
        start = self.scratch.get_y()
        draw(self.scratch)
        return self.scratch.get_y() - start

    def table_rows(self, header: list[str], rows: list[list[str]], columns: Columns) -> tuple[float, list[float]]:
        """(height of the header row, height of each row)."""
        head = self.height(lambda pdf: draw_table(pdf, header, [], columns))
        return head, [self.height(lambda pdf, row=row: draw_table(pdf, None, [row], columns)) for row in rows]


def room(pdf: FPDF) -> float:
    """Height left on the current page."""
    return pdf.page_break_trigger - pdf.get_y()


def page_room(pdf: FPDF) -> float:
    """Height of a fresh page's body."""
    return pdf.page_break_trigger - pdf.t_margin


def keep_whole(pdf: FPDF, height: float) -> None:
    """Start a new page unless a block this tall fits here (one taller than a page starts on a new
    page and runs on)."""
    if height > room(pdf) and pdf.get_y() > pdf.t_margin + 0.01:
        pdf.add_page()


def chunks(first_room: float, full_room: float, caption: float, head: float, heights: list[float],
           *, on_fresh_page: bool) -> tuple[bool, list[list[int]]]:
    """Cut the rows (their ``heights``) into pages: (start on a new page?, row indexes per page)."""
    total = caption + head + sum(heights)
    first_rows = caption + head + sum(heights[:MIN_FIRST])
    new_page = not on_fresh_page and total > first_room and (total <= full_room or first_rows > first_room)
    space, used, pages, current = (full_room if new_page else first_room), caption + head, [], []
    for index, height in enumerate(heights):
        if current and used + height > space:
            pages.append(current)
            space, used, current = full_room, head, []
        current.append(index)
        used += height
    pages.append(current)
    keep = min(KEEP_LAST, len(heights))
    while len(pages) > 1 and len(pages[-1]) < keep and len(pages[-2]) > MIN_FIRST:
        pages[-1].insert(0, pages[-2].pop())
    return new_page, pages


def kept_table(pdf: FPDF, measure: Measure, header: list[str], rows: list[list[str]], columns: Columns,
               caption=None) -> None:
    """Draw ``caption(pdf)`` (if any) and the table, broken over pages as the module doc says."""
    caption_height = measure.height(caption) if caption else 0
    head, heights = measure.table_rows(header, rows, columns)
    fresh = pdf.get_y() <= pdf.t_margin + 0.01
    new_page, pages = chunks(room(pdf), page_room(pdf), caption_height, head, heights, on_fresh_page=fresh)
    if new_page:
        pdf.add_page()
    if caption:
        caption(pdf)
    for number, indexes in enumerate(pages):
        if number:
            pdf.add_page()
        draw_table(pdf, header, [rows[i] for i in indexes], columns)
