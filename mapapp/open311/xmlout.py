"""Open311 XML documents via ElementTree (which escapes all text)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

#: Tag of each element inside a list-valued element.
ITEM_TAGS = {
    "services": "service", "service_requests": "request", "attributes": "attribute",
    "values": "value", "endpoints": "endpoint", "formats": "format", "errors": "error",
}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child)
    else:
        element.text = _text(value)


def document(root: str, value) -> bytes:
    """Serialise ``value`` (dicts, lists, scalars) under element ``root``, UTF-8 with declaration."""
    element = ET.Element(root)
    _fill(element, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def errors_document(errors: list[dict]) -> bytes:
    return document("errors", errors)
