"""The printable handout: title, time, place and a QR code that encodes the absolute join link."""
import re

import pytest
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


@pytest.mark.parametrize("lang, coordinates, note", [
    ("de", "51,4565° N, 6,6995° O", "Die Koordinaten lassen sich in jede Karten-App eingeben."),
    ("ar", "\u206651.4565°\u2069 شمالًا، \u20666.6995°\u2069 شرقًا", None),
])
def test_handout_prints_the_meeting_point_name_and_the_description(client, session, lang, coordinates, note):
    walk_id = make_walk(session, meeting_point_name="Bismarckplatz, vor dem Rathaus",
                        description="Rundgang durch die Einkaufsstraßen.\nDauer: zwei Stunden.")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    html = client.get(f"/w/{code}/handout?lang={lang}").text
    facts = html.split('class="handout__facts"', 1)[1].split("</dl>", 1)[0]
    assert 'class="place__name"><bdi>Bismarckplatz, vor dem Rathaus</bdi></span>' in facts
    detail = facts.split('class="place__detail">', 1)[1]
    assert coordinates in detail
    if note:
        assert note in facts
    else:
        assert "° O" not in html
    description = html.split('class="handout__description">', 1)[1].split("</p>", 1)[0]
    assert description == "<bdi>Rundgang durch die Einkaufsstraßen.\nDauer: zwei Stunden.</bdi>"


@pytest.mark.parametrize("lang, expected", [
    ("de", "51,4565° N, 6,6995° O"),
    ("de_simple", "51,4565° Nord, 6,6995° Ost"),
    ("en", "51.4565° N, 6.6995° E"),
    ("tr", "51,4565° K, 6,6995° D"),
    ("ar", "\u206651.4565°\u2069 شمالًا، \u20666.6995°\u2069 شرقًا"),
])
def test_coordinates_have_the_languages_compass_letters_and_decimal_separator(app, lang, expected):
    from mapapp.join import coordinates

    with app.test_request_context(f"/?lang={lang}"):
        assert coordinates({"type": "Point", "coordinates": [6.6995, 51.4565]}) == expected


def test_coordinates_south_and_west(app):
    from mapapp.join import coordinates

    with app.test_request_context("/?lang=en"):
        assert coordinates({"type": "Point", "coordinates": [-43.2096, -22.9035]}) == "22.9035° S, 43.2096° W"
    with app.test_request_context("/?lang=de"):
        assert coordinates({"type": "Point", "coordinates": [-0.5, 51.0]}) == "51,0° N, 0,5° W"
