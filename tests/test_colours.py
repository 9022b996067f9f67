"""The map's colours (mapapp/colours.py): one source for the review map and the GIS exports,
and the same colours the style sheets and scripts draw with."""
import json
from pathlib import Path

from mapapp import colours
from tests.auth.helpers import log_in
from tests.factories import make_user

STATIC = Path(__file__).resolve().parents[1] / "static"


def test_the_review_map_gets_the_category_colours_from_the_server(session, client):
    make_user(session, "orga")
    log_in(client, "orga")
    html = client.get("/review/").text
    config = json.loads(html.split('<script type="application/json" id="review-config">', 1)[1].split("</script>", 1)[0])
    assert config["colours"] == colours.category_colours(session)
    script = (STATIC / "js" / "review" / "clusters-map.js").read_text("utf-8")
    assert not any(colour in script for colour in colours.PALETTE[:-1])  # no second palette there


def test_status_district_and_walk_colours_are_those_of_the_pages():
    css = (STATIC / "css" / "review.css").read_text("utf-8") + (STATIC / "css" / "app.css").read_text("utf-8")
    for fill, outline in colours.STATUS_COLOURS.values():
        assert fill in css and outline in css
    map_js = (STATIC / "js" / "shared" / "map.js").read_text("utf-8")
    for colour, width, _dashed in colours.DISTRICT_OUTLINES.values():
        assert f"color: '{colour}', weight: {width:g}" in map_js
    assert f"color: '{colours.WALK_ROUTE[0]}', weight: {colours.WALK_ROUTE[1]:g}" in (
        STATIC / "js" / "shared" / "walkmap.js").read_text("utf-8")
    fill, outline = colours.MEETING_POINT
    editor = (STATIC / "js" / "organiser" / "walk-editor.js").read_text("utf-8")
    assert f"color: '{outline}', weight: 3, fillColor: '{fill}'" in editor
