"""Draw the home-screen icons into static/icons/ (run once: ``python -m mapapp.devtools.make_icons``).

The icon is the favicon's map pin, white on the theme blue. The maskable variant keeps the
pin inside the central 80 % "safe zone" that launchers may crop to a circle.
"""
import math
import sys
from pathlib import Path

from mapapp.config import project_dir

BLUE = (0, 70, 138, 255)
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">\
<rect width="32" height="32" rx="6" fill="#00468a"/>\
<path fill="#fff" d="M16 4a8 8 0 0 0-8 8c0 6 8 15 8 15s8-9 8-15a8 8 0 0 0-8-8z"/>\
<circle cx="16" cy="12" r="3.2" fill="#00468a"/></svg>
"""


def draw_pin(size: int, pin_height: float, rounded: bool):
    """Return a ``size``² RGBA image: blue background, white pin ``pin_height`` × size tall."""
    from PIL import Image, ImageDraw

    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = big * 0.1875 if rounded else 0
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=BLUE)

    height = big * pin_height
    head_r = height * 0.36
    cx, cy = big / 2, (big - height) / 2 + head_r
    tip = (cx, cy + height - head_r)
    # The tail joins the head where lines from the tip touch the circle.
    theta = math.acos(head_r / (tip[1] - cy))
    left = (cx - head_r * math.sin(theta), cy + head_r * math.cos(theta))
    right = (cx + head_r * math.sin(theta), cy + head_r * math.cos(theta))
    draw.ellipse((cx - head_r, cy - head_r, cx + head_r, cy + head_r), fill=WHITE)
    draw.polygon([left, right, tip], fill=WHITE)
    hole = head_r * 0.4
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(out_dir: Path | None = None) -> None:
    out = out_dir or project_dir() / "static" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (180, 192, 512):
        draw_pin(size, 0.72, rounded=size != 180).save(out / f"icon-{size}.png", optimize=True)
    draw_pin(512, 0.56, rounded=False).save(out / "icon-maskable-512.png", optimize=True)
    (out / "icon.svg").write_text(SVG, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
