"""A map for officials in ONE self-contained HTML file (folium), to open from disk offline.

Leaflet's script and stylesheet are inlined (its images as data: URIs); folium's default
CDN libraries (jQuery, Bootstrap, Font Awesome) are switched off for this map. Map tiles are
the only network use, and only when a tile server is configured.

Popups are not folium Popups: those paste their HTML into a JavaScript template literal,
where ``${…}`` in a participant's text would run. Each marker instead gets its data as
JSON (``<``, ``>``, ``&`` and ``'`` escaped as ``\\u003c`` etc., so no ``</script>`` can close
the tag) and a small inlined script builds the popup with ``textContent``. Photos go in as
data: URIs of the stored thumbnails.

Bounded memory: folium renders the page around a placeholder inside a
``<script type="application/json">`` element; the page is split there and the rows are
written into it one by one from a server-side cursor. The inlined script then draws each
row into its category's layer: a line finding as its line, everything else as a circle marker.
The layer control names each layer in words ("Funde: Leeres Ladenlokal (2)", "Anliegen (1)",
"Grenzen der Ortsteile", "Hintergrundkarte"). Legend counts and bounds are SQL aggregates.
"""
from __future__ import annotations

import base64
import dataclasses
import json
import re
from typing import BinaryIO

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from markupsafe import escape

from mapapp.exports import ExportFormat, register
from mapapp.exports import report_data as rd
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.selection import Selection, rows_sql, stream_rows

OUTLINE = "#444444"
CONCERN_RING = "#111111"
DUISBURG = [51.43, 6.75]
DATA_ID = "export-data"
PLACEHOLDER = "@@MAPAPP-EXPORT-ROWS@@"
CANVAS_ABOVE = 3000  # more markers than this: draw on a canvas rather than as SVG paths

POPUP_SCRIPT = """
function mapappExportPopup(d) {
  var box = document.createElement('div');
  box.className = 'export-popup';
  function line(tag, text, cls) {
    if (!text) return;
    var el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    box.appendChild(el);
  }
  line('strong', d.heading);
  line('div', d.meta, 'export-popup__meta');
  line('p', d.text);
  (d.photos || []).forEach(function (src) {
    if (src.indexOf('data:image/jpeg;base64,') !== 0) return;
    var img = document.createElement('img');
    img.src = src;
    img.alt = '';
    img.className = 'export-popup__photo';
    box.appendChild(img);
  });
  return box;
}
function mapappExportMarkers(map, groups, concerns, colours) {
  var rows = JSON.parse(document.getElementById('%s').textContent);
  rows.forEach(function (d) {
    var concern = d[0] === 'c';
    var style = concern
      ? {radius: 11, color: '%s', weight: 3, fillColor: colours[d[1]] || '#ffffff', fillOpacity: 0.6,
         className: 'export-concern'}
      : {radius: 7, color: '#ffffff', weight: 1.5, fillColor: colours[d[1]], fillOpacity: 0.95,
         className: 'export-finding'};
    var marker = d[5]
      ? L.polyline(d[5], {color: colours[d[1]], weight: 5, opacity: 0.9, lineCap: 'round',
                          className: 'export-finding export-line'})
      : L.circleMarker([d[2], d[3]], style);
    marker.bindPopup(function () { return mapappExportPopup(d[4]); }, {maxWidth: 320});
    marker.addTo((concern ? concerns : groups[d[1]]) || map);
  });
}
""" % (DATA_ID, CONCERN_RING)

STYLE = f"""
.export-legend {{ position: absolute; z-index: 1000; bottom: 4rem; left: 0.5rem; padding: 0.4rem 0.6rem;
  background: #fff; border: 1px solid {OUTLINE}; border-radius: 4px; font: 0.85rem/1.3 system-ui, sans-serif; }}
.export-legend h2 {{ margin: 0 0 0.25rem; font-size: 0.95rem; }}
.export-legend ul {{ list-style: none; margin: 0; padding: 0; }}
.export-legend__swatch {{ display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  margin-inline-end: 0.4rem; vertical-align: middle; border: 1px solid {OUTLINE}; }}
.export-legend__swatch--concern {{ border: 3px solid {CONCERN_RING}; background: #fff; }}
.export-legend__swatch--line {{ height: 0.3rem; border-radius: 2px; border: 0; }}
.export-legend__source {{ margin: 0.3rem 0 0; font-size: 0.75rem; color: #333; }}
.export-popup__meta {{ color: #444; font-size: 0.85em; }}
.export-popup p {{ white-space: pre-wrap; margin: 0.3rem 0; }}
.export-popup__photo {{ max-width: 96px; max-height: 96px; margin: 2px; }}
"""


class _Document(Figure):
    """folium's page with a language and an escaped title."""

    _template = Template(
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<title>{{ this.title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n</head>\n<body>\n"
        "    {{ this.html.render(**kwargs) }}\n</body>\n"
        "<script>\n    {{ this.script.render(**kwargs) }}\n</script>\n</html>\n"
    )

    def __init__(self, title: str):
        super().__init__(title=str(escape(title)))


def safe_json(value) -> str:
    """JSON that can stand inside a <script> element: no ``<``, ``>``, ``&`` or ``'`` in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


class _Markers(MacroElement):
    """Calls ``mapappExportMarkers`` with the map, the category layers and the colours."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "mapappExportMarkers({{ this._parent.get_name() }}, {{ this.groups }}, {{ this.concerns }},"
        " {{ this.colours }});"
        "{% endmacro %}"
    )

    def __init__(self, groups: dict, concerns, colours: dict):
        super().__init__()
        self._name = "ExportMarkers"
        self.groups = "{" + ", ".join(f"{safe_json(slug)}: {group.get_name()}" for slug, group in groups.items()) + "}"
        self.concerns = concerns.get_name() if concerns is not None else "null"
        self.colours = safe_json(colours)


def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's script and its stylesheet with the images it names inlined as data: URIs."""
    base = rd.leaflet_dir()
    script = (base / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")

    def inline(match: re.Match) -> str:
        image = base / "images" / match.group(1)
        if not image.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\(images/([\w.-]+)\)", inline, (base / "leaflet.css").read_text(encoding="utf-8"))
    return script, css


def _meta(row: dict) -> str:
    parts = [row["category_label"], rd.status_label(row["status"]), row.get("ortsteil") or ""]
    if row.get("created_at"):
        parts.append(rd.local_time(row["created_at"]))
    return " · ".join(part for part in parts if part)


def _popup_data(row: dict, storage) -> dict:
    heading = row.get("title") or row["category_label"]
    if row["kind"] == "concern":
        heading = f"Anliegen: {heading}"
    return {"heading": heading, "meta": _meta(row), "text": row.get("description") or "",
            "photos": [rd.data_uri(jpeg) for jpeg in rd.thumbs(storage, row)]}


def _line(row: dict) -> list[list[float]] | None:
    """A line finding's vertices as Leaflet wants them, ``[lat, lon]``; None for anything else."""
    if row["kind"] != "finding" or row.get("geometry_type") != "LineString":
        return None
    return [[round(lat, 7), round(lon, 7)] for lon, lat, *_ in json.loads(row["geom_wgs84"])["coordinates"]]


def row_json(row: dict, storage) -> str:
    """One row: ``[kind, category, lat, lon, popup data]`` and, for a line, its ``[[lat, lon], …]``,
    as script-safe JSON."""
    kind = "c" if row["kind"] == "concern" else "f"
    drawn = [kind, row["category"], round(row["lat"], 7), round(row["lon"], 7), _popup_data(row, storage)]
    line = _line(row)
    return safe_json(drawn + [line] if line else drawn)


def _legend(data: rd.ReportData) -> str:
    counts = data.by_category("finding")
    items = "".join(
        f'<li><span class="export-legend__swatch{" export-legend__swatch--line" if slug in data.line_categories else ""}"'
        f' style="background: {data.colours[slug]}"></span>{escape(label)} ({counts.get(slug, 0)})</li>'
        for slug, label in data.labels.items() if counts.get(slug)
    )
    concerns = data.total("concern")
    if concerns:
        items += f'<li><span class="export-legend__swatch export-legend__swatch--concern"></span>Anliegen ({concerns})</li>'
    return (f'<section class="export-legend"><h2>{escape(data.title)}</h2><ul>{items}</ul>'
            f'<p class="export-legend__source">{escape(data.source_line)}</p></section>')


def _bounds(data: rd.ReportData) -> list[list[float]] | None:
    b = data.bounds
    if b.get("min_lat") is None:
        return None
    return [[b["min_lat"], b["min_lon"]], [b["max_lat"], b["max_lon"]]]


def build_page(data: rd.ReportData, ctx: rd.ReportContext) -> tuple[str, str]:
    """The HTML document around the rows: (text before the rows' JSON, text after it)."""
    markers = data.total("finding") + data.total("concern")
    fmap = folium.Map(location=DUISBURG, zoom_start=12, tiles=None, control_scale=True,
                      prefer_canvas=markers > CANVAS_ABOVE)
    fmap.default_js, fmap.default_css = [], []
    page = _Document(data.title)
    page.add_child(fmap)
    leaflet_js, leaflet_css = _leaflet_assets()
    page.header.add_child(Element(f"<style>{leaflet_css}\n{STYLE}</style>"), name="export_style")
    page.header.add_child(Element(f"<script>{leaflet_js}\n{POPUP_SCRIPT}</script>"), name="export_script")
    if ctx.tiles:
        folium.TileLayer(tiles=ctx.tiles.url, attr=ctx.tiles.attribution, max_zoom=ctx.tiles.max_zoom,
                         name="Hintergrundkarte").add_to(fmap)
    if data.districts.get("features"):
        folium.GeoJson(data.districts, name=rd.outlines_label(data), style_function=lambda _f: {
            "color": OUTLINE, "weight": 1.5, "fill": False}).add_to(fmap)
    groups = {}
    counts = data.by_category("finding")
    for slug, label in data.labels.items():
        if counts.get(slug):
            groups[slug] = folium.FeatureGroup(name=str(escape(f"Funde: {label} ({counts[slug]})"))).add_to(fmap)
    concerns = None
    if data.total("concern"):
        concerns = folium.FeatureGroup(name=f"Anliegen ({data.total('concern')})").add_to(fmap)
    fmap.add_child(_Markers(groups, concerns, data.colours))
    folium.LayerControl(collapsed=False).add_to(fmap)
    bounds = _bounds(data)
    if bounds:
        fmap.fit_bounds(bounds, padding=(30, 30), max_zoom=17)
    page.html.add_child(Element(_legend(data)), name="export_legend")
    page.html.add_child(Element(f'<script type="application/json" id="{DATA_ID}">{PLACEHOLDER}</script>'),
                        name="export_data")
    head, tail = page.render().split(PLACEHOLDER)
    return head, tail


def write_html(session, selection: Selection, out: BinaryIO, ctx: rd.ReportContext | None = None,
               progress=no_progress) -> None:
    """Write the map: the page around the rows, the rows streamed one by one in between."""
    ctx = ctx or rd.report_context()
    selection = dataclasses.replace(selection, srid=4326)
    head, tail = build_page(rd.load(session, selection, srid=4326), ctx)
    out.write(head.encode("utf-8"))
    out.write(b"[\n")
    counter = RowCounter(progress, "rows")
    sql, params = rows_sql(selection)
    for row in stream_rows(session, sql, params):
        if counter.done:
            out.write(b",\n")
        out.write(row_json(row, ctx.storage).encode("utf-8"))
        counter.step()
    counter.finish()
    out.write(b"\n]")
    out.write(tail.encode("utf-8"))


def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
    write_html(session, selection, out, progress=progress)


register(ExportFormat("html", "html", "text/html; charset=utf-8", write, "Karte (HTML, offline)"))
