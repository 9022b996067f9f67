"""The printable handout: title, time, place and a QR code that encodes the absolute join link."""
import re

import segno
from sqlalchemy import text

from tests.factories import make_walk

PATH_TOKEN = re.compile(r"([MmHhVvZz])|(-?\d+(?:\.\d+)?)")


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """Read segno's SVG path back into the set of dark (row, column) modules.

    segno draws the light background as a filled path, then each row's dark runs as
    horizontal strokes through the row's middle (``M x y.5 h len m dx dy h len …``),
    one unit per module at scale 1.
    """
    d = re.search(r'<path stroke="[^"]+" d="([^"]+)"', svg).group(1)
    tokens = PATH_TOKEN.findall(d)
    x = y = 0.0
    dark, command, numbers = set(), None, []

    def apply(cmd, args):
        nonlocal x, y
        if cmd in "Mm":
            x, y = (args[0], args[1]) if cmd == "M" else (x + args[0], y + args[1])
        elif cmd in "Hh":
            end = args[0] if cmd == "H" else x + args[0]
            row = int(y)
            dark.update((row, col) for col in range(int(x), int(end)))
            x = end
        else:
            raise AssertionError(f"unexpected path command {cmd}")

    arity = {"M": 2, "m": 2, "H": 1, "h": 1}
    for letter, number in tokens:
        if letter:
            command = letter
            continue
        numbers.append(float(number))
        if len(numbers) == arity[command]:
            apply(command, numbers)
            numbers = []
    return dark


def expected_modules(content: str, border: int) -> set[tuple[int, int]]:
    matrix = segno.make(content, error="m", micro=False).matrix
    return {(r + border, c + border) for r, row in enumerate(matrix) for c, value in enumerate(row) if value}


def test_handout_has_a_qr_code_of_the_join_url(client, session):
    walk_id = make_walk(session, title="Ortsbegehung Rheinhausen")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    page = client.get(f"/w/{code}/handout")
    assert page.status_code == 200
    html = page.text
    url = f"http://localhost/w/{code}"
    assert "Ortsbegehung Rheinhausen" in html and url in html
    assert "QR-Code scannen" in html and "Mitmachen" in html and "Fund melden" in html
    assert "Samstag, 12. September 2026, 12:00" in html  # 10:00 UTC in Duisburg's summer time
    assert "<script" not in html.split("<article", 1)[1].split("</article>", 1)[0]

    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", html, re.S).group(0)
    assert dark_modules(svg) == expected_modules(url, border=4)
    assert dark_modules(svg) != expected_modules(url + "x", border=4)


def test_public_base_url_is_used_for_the_qr_code(app, client, session):
    walk_id = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    app.config["PUBLIC_BASE_URL"] = "https://mitmachen.example.org/"
    try:
        html = client.get(f"/w/{code}/handout").text
    finally:
        app.config.pop("PUBLIC_BASE_URL")
    url = f"https://mitmachen.example.org/w/{code}"
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", html, re.S).group(0)
    assert url in html and dark_modules(svg) == expected_modules(url, border=4)
