"""QR codes as inline SVG (segno): no image file, no script, sharp at any print size."""
import segno
from markupsafe import Markup


def qr_svg(content: str, title: str) -> Markup:
    """Return an ``<svg class="qr">`` encoding ``content``; its size comes from CSS (viewBox only)."""
    code = segno.make(content, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None,
                          title=title, dark="#000", light="#fff")
    return Markup(svg)
