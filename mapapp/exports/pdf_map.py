"""The PDF report's map: a matplotlib (Agg) figure of the selected findings and concerns over the
district outlines in EPSG:25832, and what fpdf2 draws around it — a scale bar, a north arrow and
the legend — below the figure, so none of it ever covers the data, and as PDF text.

The figure has no margins and its limits are chosen so that one metre is as long across as up
(:class:`Frame`); a length in metres is then a fixed length on paper, which the scale bar uses.
Points are read in batches into compact float arrays (16 bytes per row); lines go into one
array per category with NaN between them, drawn as one polyline each.
"""
from __future__ import annotations

import dataclasses
import io
import json
import math
from array import array
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from mapapp.exports import report_data as rd  # noqa: E402
from mapapp.exports.pdf_layout import FONT  # noqa: E402
from mapapp.exports.progress import RowCounter, no_progress  # noqa: E402
from mapapp.exports.selection import Selection, rows_sql, stream_rows  # noqa: E402

FIGURE_IN = (7.5, 5.4)  # width, height in inches
DPI = 150
POINT_BATCH = 5000
OUTLINE = "#555555"
CONCERN_RING = "#111111"
MANY = 2000  # more findings than this: smaller dots
# Scale bar lengths to choose from, in metres.
NICE_LENGTHS = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000)
SCALE_MM = 35  # about this long on paper


@dataclass
class Layers:
    """What the map draws: point arrays per (kind, category), line arrays per category."""

    points: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    lines: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


@dataclass
class Frame:
    """The figure's extent in EPSG:25832 metres (its aspect is the figure's)."""

    x0: float
    x1: float
    y0: float
    y1: float

    def metres_per_mm(self, width_mm: float) -> float:
        return (self.x1 - self.x0) / width_mm


def _rings(geometry: dict):
    """Each outer and inner ring of a (Multi)Polygon as lists of x and y."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            yield [p[0] for p in ring], [p[1] for p in ring]


def read_layers(session, selection: Selection, progress=no_progress) -> Layers:
    """The selection's points and lines in EPSG:25832 (``selection.srid`` must be 25832), in batches.
    A line finding is drawn as its line; everything else (concerns included) as a point."""
    sql, params = rows_sql(dataclasses.replace(selection, include_photos=False, include_text=False))
    points: dict[tuple[str, str], tuple[array, array]] = {}
    lines: dict[str, tuple[array, array]] = {}
    counter = RowCounter(progress, "map")
    query = (f"SELECT kind, category, easting, northing, CASE WHEN kind = 'finding' AND geometry_type = "
             f"'LineString' THEN geom END AS line FROM ({sql}) AS m")
    for row in stream_rows(session, query, params, batch=POINT_BATCH):
        if row["line"]:
            xs, ys = lines.setdefault(row["category"], (array("d"), array("d")))
            for x, y in json.loads(row["line"])["coordinates"]:
                xs.append(x)
                ys.append(y)
            xs.append(math.nan)
            ys.append(math.nan)
        else:
            xs, ys = points.setdefault((row["kind"], row["category"]), (array("d"), array("d")))
            xs.append(row["easting"])
            ys.append(row["northing"])
        counter.step()
    counter.finish()
    as_numpy = lambda pair: (np.frombuffer(pair[0]), np.frombuffer(pair[1]))  # noqa: E731
    return Layers({key: as_numpy(pair) for key, pair in points.items()},
                  {key: as_numpy(pair) for key, pair in lines.items()})


def frame(data: rd.ReportData, layers: Layers) -> Frame | None:
    """The data and the outlines around it with a margin, widened to the figure's aspect."""
    xs, ys = [], []
    for pair in [*layers.points.values(), *layers.lines.values()]:
        if len(pair[0]):
            xs += [np.nanmin(pair[0]), np.nanmax(pair[0])]
            ys += [np.nanmin(pair[1]), np.nanmax(pair[1])]
    for feature in data.districts.get("features", []):
        for ring_x, ring_y in _rings(feature["geometry"]):
            xs += [min(ring_x), max(ring_x)]
            ys += [min(ring_y), max(ring_y)]
    if not xs:
        return None
    margin = max(200.0, 0.05 * max(max(xs) - min(xs), max(ys) - min(ys)))
    x0, x1, y0, y1 = min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin
    aspect = FIGURE_IN[0] / FIGURE_IN[1]
    if (x1 - x0) / (y1 - y0) < aspect:
        grow = ((y1 - y0) * aspect - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    return Frame(float(x0), float(x1), float(y0), float(y1))


def map_png(data: rd.ReportData, layers: Layers, extent: Frame | None) -> bytes:
    """The findings (by category) and concerns over the district outlines, as a PNG with no
    margins, no legend and no title (those are PDF text around it)."""
    fig = plt.figure(figsize=FIGURE_IN, dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    for feature in data.districts.get("features", []):
        for xs, ys in _rings(feature["geometry"]):
            ax.plot(xs, ys, color=OUTLINE, linewidth=0.8, zorder=1)
        label = feature["properties"].get("label")
        if label:
            ax.annotate(feature["properties"]["name"], label, fontsize=7, color=OUTLINE, ha="center", zorder=1)
    many = data.total("finding") > MANY
    for slug in data.labels:
        if slug in layers.lines:
            xs, ys = layers.lines[slug]
            ax.plot(xs, ys, color=data.colours[slug], linewidth=1.2 if many else 2.4, solid_capstyle="round",
                    zorder=2, rasterized=True)
        if ("finding", slug) in layers.points:
            xs, ys = layers.points[("finding", slug)]
            ax.scatter(xs, ys, s=4 if many else 28, c=data.colours[slug], edgecolors="white",
                       linewidths=0 if many else 0.6, zorder=3, rasterized=True)
    concerns = [pair for key, pair in layers.points.items() if key[0] == "concern"]
    if concerns:
        xs, ys = np.concatenate([c[0] for c in concerns]), np.concatenate([c[1] for c in concerns])
        ax.scatter(xs, ys, s=110, facecolors="none", edgecolors=CONCERN_RING, linewidths=1.8, zorder=4,
                   rasterized=True)
    if extent:
        ax.set_xlim(extent.x0, extent.x1)
        ax.set_ylim(extent.y0, extent.y1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def figure_height(width_mm: float) -> float:
    return width_mm * FIGURE_IN[1] / FIGURE_IN[0]


def scale_length(metres_per_mm: float) -> int:
    """The longest nice length (metres) not longer than :data:`SCALE_MM` on paper."""
    fitting = [n for n in NICE_LENGTHS if n <= SCALE_MM * metres_per_mm]
    return fitting[-1] if fitting else NICE_LENGTHS[0]


def distance_label(metres: float) -> str:
    """German, decimal comma: "12,5 m", "250 m", "1 km", "2,5 km"."""
    text = f"{metres:g} m" if metres < 1000 else f"{metres / 1000:g} km"
    return text.replace(".", ",")


def draw_scale_and_north(pdf, extent: Frame, x: float, y: float, width: float) -> float:
    """Under the map (at ``y``, as wide as it): a scale bar on the left, the CRS in the middle,
    a north arrow on the right. Returns the height used."""
    metres = scale_length(extent.metres_per_mm(width))
    bar = metres / extent.metres_per_mm(width)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    for part in range(4):
        pdf.set_fill_color(0 if part % 2 == 0 else 255)
        pdf.rect(x + part * bar / 4, y + 1.5, bar / 4, 1.6, style="DF")
    pdf.set_font(FONT, "", 7)
    pdf.text(x, y + 6.2, "0")
    pdf.text(x + bar / 2 - pdf.get_string_width(distance_label(metres / 2)) / 2, y + 6.2, distance_label(metres / 2))
    end = distance_label(metres)
    pdf.text(x + bar - pdf.get_string_width(end) / 2, y + 6.2, end)
    crs = "ETRS89 / UTM 32N (EPSG:25832), Norden oben"
    pdf.text(x + width / 2 - pdf.get_string_width(crs) / 2, y + 4, crs)
    tip = x + width - 4
    pdf.set_fill_color(0)
    pdf.polygon([(tip, y + 3.2), (tip - 1.8, y + 8.5), (tip, y + 7.2), (tip + 1.8, y + 8.5)], style="DF")
    pdf.set_font(FONT, "B", 8)
    pdf.text(tip - pdf.get_string_width("N") / 2, y + 2.6, "N")
    _reset_colours(pdf)
    return 10


def _reset_colours(pdf) -> None:
    """Back to black lines and text on white fill, as the tables after the map expect."""
    pdf.set_draw_color(0)
    pdf.set_fill_color(255)
    pdf.set_text_color(0)
    pdf.set_line_width(0.2)


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def legend_entries(data: rd.ReportData) -> list[tuple[str, str, str]]:
    """(swatch, colour, text) per legend line: 'dot', 'line', 'ring' or 'outline'."""
    counts = data.by_category("finding")
    entries = []
    for slug, label in data.labels.items():
        if counts.get(slug):
            swatch = "line" if slug in data.line_categories else "dot"
            entries.append((swatch, data.colours[slug], f"{label} ({counts[slug]})"))
    if data.total("concern"):
        entries.append(("ring", CONCERN_RING, f"Anliegen ({data.total('concern')})"))
    if data.districts.get("features"):
        entries.append(("outline", OUTLINE, rd.outlines_label(data)))
    return entries


def draw_legend(pdf, entries: list[tuple[str, str, str]], x: float, y: float, width: float) -> float:
    """The legend in two columns at (x, y); returns the height used."""
    column, line = width / 2, 4.6
    pdf.set_font(FONT, "", 8)
    pdf.set_line_width(0.4)
    for index, (swatch, colour, text) in enumerate(entries):
        left, top = x + (index % 2) * column, y + (index // 2) * line
        pdf.set_draw_color(*_hex(colour))
        pdf.set_fill_color(*_hex(colour))
        if swatch == "dot":
            pdf.ellipse(left + 0.5, top + 0.9, 2.6, 2.6, style="F")
        elif swatch == "ring":
            pdf.ellipse(left + 0.3, top + 0.7, 3, 3, style="D")
        else:
            pdf.set_line_width(0.8 if swatch == "line" else 0.3)
            pdf.line(left, top + 2.2, left + 3.6, top + 2.2)
            pdf.set_line_width(0.4)
        pdf.text(left + 5, top + 3.1, text)
    _reset_colours(pdf)
    return math.ceil(len(entries) / 2) * line
