"""The dashboard's choropleth: a folium document served with our own Leaflet and a hash-based CSP.

folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by default and writes
inline ``<script>`` and ``<style>`` elements. Here the map references only the app's own
Leaflet files, and :func:`document_policy` allows exactly the document's inline elements by
their SHA-256 hashes. Names end up in tooltips and popups through ``innerHTML``, so they are
HTML-escaped here, before folium sees them. No Flask here: the view passes URLs and texts.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Callable

import folium
from branca.element import Element, Figure
from jinja2 import Template
from markupsafe import escape

# ColorBrewer "Reds", 5 classes; districts without findings in a neutral grey.
PALETTE = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
EMPTY_COLOUR = "#eeeeee"
OUTLINE_COLOUR = "#444444"

_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_HAS_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    """One colour class: densities in (``low``, ``high``] get ``colour``."""

    low: float
    high: float
    colour: str


@dataclass(frozen=True)
class MapTexts:
    """What the map says, already in the reader's language."""

    lang: str
    title: str                          # the document's <title>
    legend_title: str                   # e.g. "Funde je km²"
    no_findings: str                    # the legend entry of the grey class
    describe: Callable[[dict], str]     # a district's properties → the line under its name
    number: Callable[[float], str]      # a density, formatted for the legend


def colour_steps(max_density: float, classes: int = len(PALETTE)) -> list[Step]:
    """Equal steps from 0 up to a round number at or above ``max_density`` (none when it is 0)."""
    if max_density <= 0:
        return []
    top = _round_up(max_density)
    width = top / classes
    return [Step(i * width, (i + 1) * width, PALETTE[i]) for i in range(classes)]


def _round_up(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that is at least ``value``."""
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * magnitude * (1 + 1e-12):
            return factor * magnitude
    return 10 * magnitude


def colour_for(density: float, steps: list[Step]) -> str:
    if density <= 0 or not steps:
        return EMPTY_COLOUR
    return next((step.colour for step in steps if density <= step.high), steps[-1].colour)


class _Document(Figure):
    """folium's page with a language and a title (both escaped here: the template is not)."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "<title>{{ this.title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "</body>\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n",
    )

    def __init__(self, lang: str, title: str):
        super().__init__(title=str(escape(title)))
        self.lang = str(escape(lang))


def _tooltip_html(props: dict, texts: MapTexts) -> str:
    return f"<strong>{escape(props['name'])}</strong><br>{escape(texts.describe(props))}"


def _legend(steps: list[Step], texts: MapTexts) -> tuple[str, str]:
    """The legend's markup and its stylesheet (the swatch colours come from the palette)."""
    entries = [(EMPTY_COLOUR, texts.no_findings)] + [
        (step.colour, f"{texts.number(step.low)} – {texts.number(step.high)}") for step in steps
    ]
    items = "".join(
        f'<li><span class="map-legend__swatch map-legend__swatch--{i}"></span>{escape(label)}</li>'
        for i, (_colour, label) in enumerate(entries)
    )
    markup = (f'<section class="map-legend" aria-labelledby="map-legend-title">'
              f'<h2 id="map-legend-title" class="map-legend__title">{escape(texts.legend_title)}</h2>'
              f'<ul class="map-legend__steps">{items}</ul></section>')
    swatches = "\n".join(
        f".map-legend__swatch--{i} {{ background: {colour}; }}" for i, (colour, _label) in enumerate(entries)
    )
    style = f"""<style>
.map-legend {{ position: absolute; z-index: 1000; bottom: 1.5rem; right: 0.5rem; padding: 0.4rem 0.6rem;
  background: #fff; border: 1px solid {OUTLINE_COLOUR}; border-radius: 4px; font: 0.85rem/1.3 system-ui, sans-serif; }}
.map-legend__title {{ margin: 0 0 0.25rem; font-size: 0.9rem; }}
.map-legend__steps {{ list-style: none; margin: 0; padding: 0; }}
.map-legend__swatch {{ display: inline-block; width: 1rem; height: 0.8rem; margin-inline-end: 0.4rem;
  vertical-align: middle; border: 1px solid {OUTLINE_COLOUR}; }}
{swatches}
</style>"""
    return markup, style


def choropleth_document(geojson: str, *, texts: MapTexts, leaflet_js: str, leaflet_css: str,
                        tiles: dict | None, center: list[float], zoom: int) -> str:
    """The whole HTML document: districts coloured by findings per km², tooltips, popups, legend.

    ``geojson`` is what ``dashboard.density_geojson`` returns. ``tiles`` is ``{url, attribution,
    max_zoom}`` or None for no tile layer.
    """
    data = json.loads(geojson)
    steps = colour_steps(max((f["properties"]["density"] for f in data["features"]), default=0))
    for feature in data["features"]:
        props = feature["properties"]
        props["label_html"] = _tooltip_html(props, texts)
        props["fill"] = colour_for(props["density"], steps)

    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True, zoom_snap=0.25)
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
    _Document(texts.lang, texts.title).add_child(fmap)
    if tiles:
        folium.TileLayer(tiles=tiles["url"], attr=tiles["attribution"], max_zoom=tiles["max_zoom"]).add_to(fmap)
    if data["features"]:  # folium's tooltips insist on a first feature to read field names from
        folium.GeoJson(
            data,
            style_function=lambda feature: {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.75,
                                            "color": OUTLINE_COLOUR, "weight": 1.5},
            highlight_function=lambda _feature: {"weight": 4},
            tooltip=folium.GeoJsonTooltip(fields=["label_html"], labels=False),
            popup=folium.GeoJsonPopup(fields=["label_html"], labels=False),
        ).add_to(fmap)
    if data.get("bbox"):
        west, south, east, north = data["bbox"]
        fmap.fit_bounds([[south, west], [north, east]])
    markup, style = _legend(steps, texts)
    figure = fmap.get_root()
    figure.header.add_child(Element(style), name="map_legend_style")
    figure.html.add_child(Element(markup), name="map_legend")
    return figure.render()


def inline_hashes(html: str) -> dict[str, list[str]]:
    """CSP hash sources of the inline ``script`` and ``style`` elements, in document order."""
    found: dict[str, list[str]] = {"script": [], "style": []}
    for tag, attributes, body in _INLINE.findall(html):
        if tag.lower() == "script" and _HAS_SRC.search(attributes):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in found[tag.lower()]:
            found[tag.lower()].append(source)
    return found


def document_policy(base_policy: str, html: str) -> str:
    """``base_policy`` (the app's CSP) opened just enough for this document.

    Scripts and styles: 'self' plus the hashes of the document's inline elements; the page
    may be framed by our own pages only. Every other directive stays as it is.
    """
    hashes = inline_hashes(html)
    directives = dict(part.strip().split(" ", 1) for part in base_policy.split(";") if part.strip())
    directives["script-src"] = " ".join(["'self'", *hashes["script"]])
    directives["style-src"] = " ".join(["'self'", *hashes["style"]])
    directives["frame-ancestors"] = "'self'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())
