"""Page breaks of the PDF report's tables, without a database: a table started at many heights
of a page, so that for some start it ends right at the page's foot. One document holds every
start, each on a new page under a line "Beginn <mm>"."""
import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from mapapp.exports import pdf_layout as layout
from mapapp.exports.pdf_report import FONT_DIR

COLUMNS = layout.Columns((4, 1, 1))
HEADER = ["Kategorie", "Neu", "Gesamt"]


def body(rows: int) -> list[list[str]]:
    return [[f"Kategorie {n:02d}", str(n), str(n)] for n in range(rows)] + [["Summe", "99", "99"]]


def documents(rows: int, draw, starts=None) -> dict[int, list[list[str]]]:
    """Per start (mm below the top margin), the lines of each page of a table started there."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    layout.add_fonts(pdf, FONT_DIR)
    measure = layout.Measure(pdf)
    for start in starts or STARTS:
        pdf.add_page()
        pdf.set_font(layout.FONT, "", 10)
        pdf.multi_cell(0, 5, f"Beginn {start}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.t_margin + start)
        draw(pdf, measure, rows)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    by_start: dict[int, list[list[str]]] = {}
    for page in reader.pages:
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        if lines and lines[0].startswith("Beginn "):
            current = by_start.setdefault(int(lines[0].split()[1]), [])
        current.append(lines)
    return by_start


def plain(pdf, _measure, rows):
    """fpdf2's own table: it breaks wherever the next row does not fit."""
    layout.draw_table(pdf, HEADER, body(rows), COLUMNS)


def kept(pdf, measure, rows):
    pdf.set_font(layout.FONT, "B", 12)
    caption = lambda target: target.multi_cell(0, 6, "Funde nach Kategorie", new_x="LMARGIN", new_y="NEXT")  # noqa: E731
    layout.kept_table(pdf, measure, HEADER, body(rows), COLUMNS, caption=caption)


def table_pages(pages: list[list[str]]) -> list[list[str]]:
    """Per page, the table's body rows (header, caption and the introduction left out)."""
    return [[line for line in lines if line.startswith(("Kategorie ", "Summe"))
             and not line.startswith("Kategorie Neu")] for lines in pages]


def lone_sum(pages) -> bool:
    return any(rows == [rows[-1]] and rows[-1].startswith("Summe") for rows in table_pages(pages) if rows)


STARTS = range(150, 262, 2)


def test_fpdf_alone_leaves_a_sum_row_on_a_page_of_its_own():
    """The control: started at the right height, the plain table does split off its sum row."""
    assert any(lone_sum(pages) for pages in documents(5, plain).values())


@pytest.mark.parametrize("rows, starts", [(1, STARTS), (5, STARTS), (60, STARTS[::6])])
def test_kept_table_never_leaves_the_sum_row_or_a_heading_alone(rows, starts):
    for start, pages in documents(rows, kept, starts).items():
        bodies = table_pages(pages)
        assert not lone_sum(pages), (start, bodies)
        for lines, rows_here in zip(pages, bodies):
            if "Funde nach Kategorie" in lines:  # the caption stands over at least two rows
                assert len(rows_here) >= min(2, rows + 1), (start, lines)
        used = [rows_here for rows_here in bodies if rows_here]
        if len(used) > 1:
            assert len(used[-1]) >= 3 and len(used[0]) >= 2, (start, bodies)
        assert sum(len(rows_here) for rows_here in bodies) == rows + 1  # every row drawn once


def test_a_table_that_fits_a_page_is_never_split():
    for start, pages in documents(8, kept).items():
        used = [rows for rows in table_pages(pages) if rows]
        assert len(used) == 1, (start, used)


def test_chunks_keep_three_rows_on_the_last_page():
    new_page, pages = layout.chunks(30, 30, 0, 6, [6] * 5, on_fresh_page=False)
    assert not new_page and pages == [[0, 1], [2, 3, 4]]  # 4 would fit; 2 move along with the sum row
