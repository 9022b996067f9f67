"""Default styles of the GIS layers, as QGIS style XML (QML) and SLD 1.1 (Symbology Encoding).

Findings are drawn by category in the app's colours (mapapp/colours.py) and labelled with the
categories' German names, points as circles and lines as lines; concerns by status (the colours
of the review pages' status badges, a shape per status so that statuses sharing a colour stay
apart); walks as a star at the meeting point and a dashed route; districts as outlines only.

The GeoPackage stores both in its ``layer_styles`` table (where QGIS looks when a layer is
added); the Shapefile zip has the QML as ``<layer>.qml`` beside each layer, which QGIS loads
the same way. A style lists every category (and every status), so all present are named.
"""
from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

from sqlalchemy import text

from mapapp.colours import (
    DISTRICT_OUTLINES, FALLBACK, MEETING_POINT, STATUS_COLOURS, WALK_ROUTE, category_colours,
)
from mapapp.statuses import CONCERN_STATUSES, LABELS as STATUS_LABELS

MM_PER_PX = 25.4 / 96
# QGIS marker shape -> SLD well-known name
SHAPES = {"circle": "circle", "square": "square", "triangle": "triangle", "star": "star",
          "cross_fill": "cross", "cross2": "x"}
STATUS_SHAPES = {"new": "circle", "in_review": "triangle", "confirmed": "circle", "handed_over": "square",
                 "resolved": "circle", "rejected": "cross2", "duplicate": "cross_fill"}
DISTRICT_LABELS = {"stadtbezirk": "Stadtbezirk", "ortsteil": "Ortsteil"}
GEOMETRY_TYPES = {"marker": "0", "line": "1", "fill": "2"}  # QGIS layerGeometryType
SLD_NS = {"": "http://www.opengis.net/sld", "se": "http://www.opengis.net/se",
          "ogc": "http://www.opengis.net/ogc", "xlink": "http://www.w3.org/1999/xlink",
          "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


@dataclass(frozen=True)
class Symbol:
    """A marker (``colour`` filled, ``outline`` edged), a line or an outline-only polygon
    (both drawn in ``colour``); sizes and widths in millimetres."""

    kind: str  # marker | line | fill
    colour: str
    outline: str = "#ffffff"
    width: float = 0.4
    size: float = 3.6
    shape: str = "circle"
    dashed: bool = False


@dataclass(frozen=True)
class StyleClass:
    value: str | None  # None: the one class of a single-symbol style
    label: str
    symbol: Symbol


@dataclass(frozen=True)
class Style:
    """How one layer is drawn: by the values of ``attribute``, or one symbol (attribute None)."""

    layer: str
    title: str
    attribute: str | None
    classes: tuple[StyleClass, ...]

    @property
    def kind(self) -> str:
        return self.classes[0].symbol.kind


def _mm(px: float) -> float:
    return round(px * MM_PER_PX, 2)


def layer_styles(session) -> dict[str, Style]:
    """The default style of each styled layer, by layer name (tables have none)."""
    colours = category_colours(session)
    categories = session.execute(text("SELECT slug, label_de FROM categories ORDER BY sort, slug")).all()

    def by_category(kind: str, **symbol) -> tuple[StyleClass, ...]:
        return tuple(StyleClass(slug, label, Symbol(kind, colours.get(slug, FALLBACK), **symbol))
                     for slug, label in categories)

    route_colour, route_px, route_dashed = WALK_ROUTE
    meeting_fill, meeting_outline = MEETING_POINT
    return {style.layer: style for style in (
        Style("findings_points", "Fundstellen nach Kategorie", "category", by_category("marker")),
        Style("findings_lines", "Fundstellen nach Kategorie", "category", by_category("line", width=1.2)),
        Style("concerns", "Anliegen nach Bearbeitungsstand", "status", _status_classes(STATUS_LABELS)),
        Style("walks", "Treffpunkte", None, (StyleClass(None, "Treffpunkt", Symbol(
            "marker", meeting_fill, meeting_outline, width=0.8, size=5.0, shape="star")),)),
        Style("walk_routes", "Geplante Wege", None, (StyleClass(None, "Geplanter Weg", Symbol(
            "line", route_colour, width=_mm(route_px), dashed=route_dashed)),)),
        Style("districts", "Grenzen", "level", tuple(
            StyleClass(level, DISTRICT_LABELS[level], Symbol("fill", colour, width=_mm(px), dashed=dashed))
            for level, (colour, px, dashed) in DISTRICT_OUTLINES.items())),
    )}


def _status_classes(labels: dict[str, str]) -> tuple[StyleClass, ...]:
    classes = []
    for status in CONCERN_STATUSES:
        fill, outline = STATUS_COLOURS[status]
        symbol = Symbol("marker", fill, outline, width=0.6, size=4.2, shape=STATUS_SHAPES[status])
        classes.append(StyleClass(status, labels.get(status, status), symbol))
    return tuple(classes)


def _rgba(colour: str) -> str:
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5)) + ",255"


def _symbol_properties(symbol: Symbol) -> tuple[str, dict[str, str]]:
    """The QGIS symbol layer class and its properties."""
    if symbol.kind == "marker":
        return "SimpleMarker", {
            "name": symbol.shape, "color": _rgba(symbol.colour), "outline_color": _rgba(symbol.outline),
            "outline_style": "solid", "outline_width": str(symbol.width), "outline_width_unit": "MM",
            "size": str(symbol.size), "size_unit": "MM", "angle": "0", "joinstyle": "bevel",
            "scale_method": "diameter", "offset": "0,0", "offset_unit": "MM",
            "horizontal_anchor_point": "1", "vertical_anchor_point": "1",
        }
    stroke = {"line_style" if symbol.kind == "line" else "outline_style": "dash" if symbol.dashed else "solid"}
    if symbol.kind == "line":
        return "SimpleLine", {
            **stroke, "line_color": _rgba(symbol.colour), "line_width": str(symbol.width),
            "line_width_unit": "MM", "capstyle": "round", "joinstyle": "round", "offset": "0",
            "offset_unit": "MM", "use_custom_dash": "0",
        }
    return "SimpleFill", {
        **stroke, "style": "no", "color": "0,0,0,0", "outline_color": _rgba(symbol.colour),
        "outline_width": str(symbol.width), "outline_width_unit": "MM", "joinstyle": "bevel",
        "offset": "0,0", "offset_unit": "MM",
    }


def _qml_symbol(parent: ET.Element, name: str, symbol: Symbol) -> None:
    element = ET.SubElement(parent, "symbol", type=symbol.kind, name=name, alpha="1",
                            clip_to_extent="1", force_rhr="0")
    layer_class, properties = _symbol_properties(symbol)
    layer = ET.SubElement(element, "layer", {"class": layer_class, "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(layer, "Option", type="Map")
    for key, value in properties.items():
        ET.SubElement(options, "Option", type="QString", name=key, value=value)
    for key, value in properties.items():  # the older form, for QGIS before 3.26
        ET.SubElement(layer, "prop", k=key, v=value)


def qml(style: Style, aliases: list[tuple[str, str]] = ()) -> str:
    """The style as a QGIS style document; ``aliases``: (field name, alias) shown as column titles."""
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology|Fields")
    if style.attribute is None:
        renderer = ET.SubElement(root, "renderer-v2", type="singleSymbol", symbollevels="0",
                                 forceraster="0", enableorderby="0")
    else:
        renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=style.attribute,
                                 symbollevels="0", forceraster="0", enableorderby="0")
        categories = ET.SubElement(renderer, "categories")
        for index, item in enumerate(style.classes):
            ET.SubElement(categories, "category", render="true", symbol=str(index), value=item.value,
                          label=item.label, type="string")
    symbols = ET.SubElement(renderer, "symbols")
    for index, item in enumerate(style.classes):
        _qml_symbol(symbols, str(index), item.symbol)
    if aliases:
        element = ET.SubElement(root, "aliases")
        for index, (field, alias) in enumerate(aliases):
            ET.SubElement(element, "alias", field=field, index=str(index), name=alias)
    ET.SubElement(root, "layerGeometryType").text = GEOMETRY_TYPES[style.kind]
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


def _svg(parent: ET.Element, tag: str, **parameters: str) -> ET.Element:
    element = ET.SubElement(parent, f"se:{tag}")
    for name, value in parameters.items():
        ET.SubElement(element, "se:SvgParameter", name=name.replace("_", "-")).text = value
    return element


def _px(mm: float) -> str:
    return f"{mm / MM_PER_PX:.1f}"


def _sld_symbolizer(rule: ET.Element, symbol: Symbol) -> None:
    dash = {"stroke_dasharray": "6 4"} if symbol.dashed else {}
    if symbol.kind == "marker":
        graphic = ET.SubElement(ET.SubElement(rule, "se:PointSymbolizer"), "se:Graphic")
        mark = ET.SubElement(graphic, "se:Mark")
        ET.SubElement(mark, "se:WellKnownName").text = SHAPES[symbol.shape]
        _svg(mark, "Fill", fill=symbol.colour)
        _svg(mark, "Stroke", stroke=symbol.outline, stroke_width=_px(symbol.width))
        ET.SubElement(graphic, "se:Size").text = _px(symbol.size)
    elif symbol.kind == "line":
        _svg(ET.SubElement(rule, "se:LineSymbolizer"), "Stroke", stroke=symbol.colour,
             stroke_width=_px(symbol.width), stroke_linejoin="round", stroke_linecap="round", **dash)
    else:
        _svg(ET.SubElement(rule, "se:PolygonSymbolizer"), "Stroke", stroke=symbol.colour,
             stroke_width=_px(symbol.width), stroke_linejoin="bevel", **dash)


def sld(style: Style) -> str:
    """The style as an SLD 1.1 document (one rule per class, filtered on the attribute)."""
    root = ET.Element("StyledLayerDescriptor", {
        "version": "1.1.0", "xmlns": SLD_NS[""],
        **{f"xmlns:{prefix}": uri for prefix, uri in SLD_NS.items() if prefix},
        "xsi:schemaLocation": "http://www.opengis.net/sld "
                              "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    })
    layer = ET.SubElement(root, "NamedLayer")
    ET.SubElement(layer, "se:Name").text = style.layer
    user_style = ET.SubElement(layer, "UserStyle")
    ET.SubElement(user_style, "se:Name").text = style.layer
    ET.SubElement(ET.SubElement(user_style, "se:Description"), "se:Title").text = style.title
    feature_style = ET.SubElement(user_style, "se:FeatureTypeStyle")
    for item in style.classes:
        rule = ET.SubElement(feature_style, "se:Rule")
        ET.SubElement(rule, "se:Name").text = item.label
        ET.SubElement(ET.SubElement(rule, "se:Description"), "se:Title").text = item.label
        if style.attribute is not None:
            equal = ET.SubElement(ET.SubElement(rule, "ogc:Filter"), "ogc:PropertyIsEqualTo")
            ET.SubElement(equal, "ogc:PropertyName").text = style.attribute
            ET.SubElement(equal, "ogc:Literal").text = item.value
        _sld_symbolizer(rule, item.symbol)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
