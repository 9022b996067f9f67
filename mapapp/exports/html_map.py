"""A map for officials in ONE self-contained HTML file (folium), to open from disk offline.

Leaflet's script and stylesheet are inlined (its images as data: URIs); folium's default
CDN libraries (jQuery, Bootstrap, Font Awesome) are switched off for this map. Map tiles are
the only network use, and only when a tile server is configured.

Popups are not folium Popups: those paste their HTML into a JavaScript template literal,
where ``${…}`` in a participant's text would run. Each marker instead gets its data as
JSON (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``) and a small inlined script
builds the popup with ``textContent``. Photos go in as data: URIs of the stored thumbnails.
"""
from __future__ import annotations

import base64
import re
from typing import BinaryIO

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from markupsafe import escape

from mapapp.exports import ExportFormat, register
from mapapp.exports import report_data as rd
from mapapp.exports.selection import Selection

OUTLINE = "#444444"
CONCERN_RING = "#111111"
DUISBURG = [51.43, 6.75]

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
"""

STYLE = f"""
.export-legend {{ position: absolute; z-index: 1000; bottom: 1.5rem; left: 0.5rem; padding: 0.4rem 0.6rem;
  background: #fff; border: 1px solid {OUTLINE}; border-radius: 4px; font: 0.85rem/1.3 system-ui, sans-serif; }}
.export-legend h2 {{ margin: 0 0 0.25rem; font-size: 0.95rem; }}
.export-legend ul {{ list-style: none; margin: 0; padding: 0; }}
.export-legend__swatch {{ display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  margin-inline-end: 0.4rem; vertical-align: middle; border: 1px solid {OUTLINE}; }}
.export-legend__swatch--concern {{ border: 3px solid {CONCERN_RING}; background: #fff; }}
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


class _DataPopup(MacroElement):
    """Binds a popup built by ``mapappExportPopup`` from this element's JSON data."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup(function () { return mapappExportPopup({{ this.data|tojson }}); },"
        " {maxWidth: 320});"
        "{% endmacro %}"
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "DataPopup"
        self.data = data


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
        parts.append(row["created_at"].strftime("%d.%m.%Y"))
    return " · ".join(part for part in parts if part)


def _popup_data(row: dict, storage) -> dict:
    heading = row.get("title") or row["category_label"]
    if row["kind"] == "concern":
        heading = f"Anliegen: {heading}"
    return {"heading": heading, "meta": _meta(row), "text": row.get("description") or "",
            "photos": [rd.data_uri(jpeg) for jpeg in rd.thumbs(storage, row)]}


def _legend(data: rd.ReportData) -> str:
    counts: dict[str, int] = {}
    for row in data.findings:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    items = "".join(
        f'<li><span class="export-legend__swatch" style="background: {data.colours[slug]}"></span>'
        f"{escape(label)} ({counts.get(slug, 0)})</li>"
        for slug, label in data.labels.items()
    )
    if data.concerns:
        items += f'<li><span class="export-legend__swatch export-legend__swatch--concern"></span>Anliegen ({len(data.concerns)})</li>'
    return (f'<section class="export-legend"><h2>{escape(data.title)}</h2><ul>{items}</ul>'
            f'<p class="export-legend__source">{escape(data.source_line)}</p></section>')


def _bounds(data: rd.ReportData) -> list[list[float]] | None:
    points = [(row["lat"], row["lon"]) for row in data.findings + data.concerns]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def build_map(data: rd.ReportData, ctx: rd.ReportContext) -> str:
    """The whole HTML document for ``data`` (outlines in EPSG:4326)."""
    fmap = folium.Map(location=DUISBURG, zoom_start=12, tiles=None, control_scale=True)
    fmap.default_js, fmap.default_css = [], []
    page = _Document(data.title)
    page.add_child(fmap)
    leaflet_js, leaflet_css = _leaflet_assets()
    page.header.add_child(Element(f"<style>{leaflet_css}\n{STYLE}</style>"), name="export_style")
    page.header.add_child(Element(f"<script>{leaflet_js}\n{POPUP_SCRIPT}</script>"), name="export_script")
    if ctx.tiles:
        folium.TileLayer(tiles=ctx.tiles.url, attr=ctx.tiles.attribution, max_zoom=ctx.tiles.max_zoom).add_to(fmap)
    if data.districts.get("features"):
        folium.GeoJson(data.districts, name="Stadtteile", style_function=lambda _f: {
            "color": OUTLINE, "weight": 1.5, "fill": False}).add_to(fmap)
    for slug, label in data.labels.items():
        group = folium.FeatureGroup(name=str(escape(label)))
        for row in (r for r in data.findings if r["category"] == slug):
            marker = folium.CircleMarker([row["lat"], row["lon"]], radius=7, color="#ffffff", weight=1.5,
                                         fill_color=data.colours[slug], fill_opacity=0.95,
                                         class_name="export-finding")
            marker.add_child(_DataPopup(_popup_data(row, ctx.storage)))
            group.add_child(marker)
        group.add_to(fmap)
    if data.concerns:
        group = folium.FeatureGroup(name="Anliegen")
        for row in data.concerns:
            marker = folium.CircleMarker([row["lat"], row["lon"]], radius=11, color=CONCERN_RING, weight=3,
                                         fill_color=data.colours.get(row["category"], "#ffffff"), fill_opacity=0.6,
                                         class_name="export-concern")
            marker.add_child(_DataPopup(_popup_data(row, ctx.storage)))
            group.add_child(marker)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    bounds = _bounds(data)
    if bounds:
        fmap.fit_bounds(bounds, padding=(30, 30), max_zoom=17)
    page.html.add_child(Element(_legend(data)), name="export_legend")
    return page.render()


def write_html(session, selection: Selection, out: BinaryIO, ctx: rd.ReportContext | None = None) -> None:
    data = rd.load(session, selection, srid=4326)
    out.write(build_map(data, ctx or rd.report_context()).encode("utf-8"))


def write(session, selection: Selection, out: BinaryIO) -> None:
    write_html(session, selection, out)


register(ExportFormat("html", "html", "text/html; charset=utf-8", write, "Karte (HTML, offline)"))
