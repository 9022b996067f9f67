"""On a walk's map a participant pins findings with photos, stretches and answers, gives a +1
instead of a duplicate, and edits or deletes only their own pins; all of it lands in PostGIS."""
import hashlib
import io
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.findings import store as findings
from tests.browser.capture import (  # noqa: F401  (walk, damage_required: fixtures)
    METRES_PER_DEGREE_LAT, damage_required, eventually, file_payload, jpeg, open_walk_map, others_finding, row,
    rows, saved_popup, start_finding, to_last_step, walk,
)
from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_walk

pytestmark = pytest.mark.browser


# ---- the map -------------------------------------------------------------------

def test_walk_map_shows_title_route_meeting_point_and_all_pins(phone, session, walk):
    session.execute(text("""UPDATE walks SET route = ST_GeomFromText(
        'LINESTRING(6.6990 51.4560, 6.7000 51.4570, 6.7010 51.4565)', 4326) WHERE id = :id"""), {"id": walk["id"]})
    session.commit()
    theirs = others_finding(session, walk["id"], BISMARCKPLATZ[0] + 0.001, BISMARCKPLATZ[1], description="fremd")
    polls = []
    phone.on("request", lambda request: f"walk={walk['id']}" in request.url and "/api/findings?" in request.url
             and polls.append(request))
    open_walk_map(phone, walk)

    expect(phone.locator(".walk-header__title")).to_have_text("Leerstand am Bismarckplatz")
    expect(phone.locator(".walk-route")).to_have_count(1)
    expect(phone.locator(".meeting-marker")).to_have_attribute("aria-label", "Treffpunkt")
    expect(phone.locator(f".finding-marker[data-finding-id='{theirs}']")).to_be_visible()

    # A pin added meanwhile by someone else appears with the next poll, without reloading.
    # At the walk's start zoom the two pins, 220 m apart, overlap: they show as one group of two.
    others_finding(session, walk["id"], BISMARCKPLATZ[0] - 0.001, BISMARCKPLATZ[1])
    expect(phone.locator(".finding-cluster[data-count='2']")).to_be_visible(timeout=20000)
    assert len(polls) >= 2 and polls[-1].headers.get("if-none-match"), "the poll asks with the last ETag"


COUNT_ZONED_FORMATTERS = """
window.__zonedFormatters = 0;
Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, {
  construct(target, args) {
    if (args[1]?.timeZone) window.__zonedFormatters += 1;
    return Reflect.construct(target, args);
  },
});
"""


ZONE_AS_THE_SERVER_NAMES_IT = {"de": r"\d{2}:\d{2} MES?Z", "ar": r"CES?T"}


def test_the_map_starts_without_loading_time_zones_until_a_time_is_shown(phone_de_ar, session, walk):
    """Making the first formatter with a time zone loads the zone data (~80 ms of a slow phone's
    start): the page makes one only when it shows a time, here in a pin's popup. The zone is named
    as the server's pages name it (in Arabic "CET", where the browser would say "غرينتش+1")."""
    page = phone_de_ar
    theirs = others_finding(session, walk["id"], BISMARCKPLATZ[0] + 0.001, BISMARCKPLATZ[1], description="fremd")
    page.add_init_script(COUNT_ZONED_FORMATTERS)
    response = page.goto(f"/w/{walk['code']}/map?lang={page.lang}")
    assert response.status == 200
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    assert page.evaluate("window.__zonedFormatters") == 0
    page.locator(f".finding-marker[data-finding-id='{theirs}']").click()
    popup = page.locator(".finding-popup")
    expect(popup).to_contain_text(re.compile(ZONE_AS_THE_SERVER_NAMES_IT[page.lang]))
    assert "غرينتش" not in popup.inner_text()
    assert page.evaluate("window.__zonedFormatters") > 0


def test_ortsteil_names_are_placed_for_the_view_and_follow_it(phone, walk):
    """Only the Ortsteile in and around the view get their name (each is measured when placed);
    zoomed out, the names of those now around the view are added."""
    open_walk_map(phone, walk)
    names = phone.locator(".district-label--walk")
    expect(names.filter(has_text="Alt-Homberg")).to_be_visible()
    near = names.count()
    assert 0 < near < 46, f"{near} names for the walk's view: all 46 Ortsteile"
    phone.locator(".leaflet-control-zoom-out").click()
    expect(names.filter(has_text="Alt-Homberg")).to_be_visible()
    expect(names).not_to_have_count(near)
    assert names.count() > near


def test_sheet_fits_a_small_phone_with_large_targets(phone, walk):
    def check_targets(step):
        """Every target of the step shown is large enough for a thumb; nothing sticks out sideways."""
        expect(phone.locator("#capture-sheet .step:not([hidden])")).to_have_attribute("data-step", str(step))
        sizes = phone.evaluate("""() => [...document.querySelectorAll(
            '#capture-sheet button, #capture-sheet .choice, #capture-sheet .category-tile, #capture-sheet .urgency__number')]
          .filter((node) => node.offsetParent !== null)
          .map((node) => { const r = node.getBoundingClientRect(); return [node.id || node.className || node.textContent, r.width, r.height]; })""")
        assert sizes and all(w >= 44 and h >= 44 for _, w, h in sizes), [s for s in sizes if s[1] < 44 or s[2] < 44]
        assert phone.locator("#capture-sheet").evaluate("(node) => node.scrollWidth <= node.clientWidth")
        return [name for name, _, _ in sizes]

    open_walk_map(phone, walk)
    phone.locator("#pin-button").click()
    check_targets(0)
    phone.locator("#locate-button").click()
    phone.locator("#next-button").click()
    assert any("category-tile" in name for name in check_targets(1))
    phone.locator("input[name=category][value=empty_shop]").check()
    phone.locator("#next-button").click()
    assert any("choice" in name for name in check_targets(2))
    expect(phone.locator("#nearby-panel")).to_be_hidden()
    phone.locator("#next-button").click()
    assert any("urgency__number" in name for name in check_targets(3))


# ---- pinning -------------------------------------------------------------------

def test_pin_with_a_photo_lands_with_its_photo(phone, session, walk, photo_storage):
    photo = jpeg()
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")
    to_last_step(phone)
    phone.locator("#photo-gallery-input").set_input_files(files=[file_payload(photo)])
    expect(phone.locator(".photo-thumb")).to_have_count(1)
    expect(phone.locator("#photo-count")).to_contain_text("1 von 5")
    phone.locator("#description").fill("Schaufenster zugeklebt")
    phone.locator("#send-button").click()

    popup = saved_popup(phone)
    expect(popup.locator(".badge--mine")).to_have_text("Meins")
    expect(popup).to_contain_text(re.compile(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} MES?Z"))  # Duisburg time, zone named
    finding_id = uuid.UUID(popup.get_attribute("data-finding-id"))
    stored = row(session, """SELECT f.walk_id, f.participant_id, f.description, ST_GeometryType(f.geom) AS kind,
                                    o.name AS ortsteil
                             FROM findings f LEFT JOIN districts o ON o.id = f.ortsteil_id WHERE f.id = :id""", id=finding_id)
    assert stored["walk_id"] == walk["id"] and stored["participant_id"] is not None
    assert (stored["description"], stored["kind"], stored["ortsteil"]) == ("Schaufenster zugeklebt", "ST_Point", "Alt-Homberg")
    photos = eventually(lambda: rows(session, "SELECT sha256 FROM photos WHERE finding_id = :id", id=finding_id))
    assert [p["sha256"] for p in photos] == [hashlib.sha256(photo).hexdigest()]
    expect(phone.locator(f".finding-marker--mine[data-finding-id='{finding_id}']")).to_be_visible()
    served = phone.locator(f".finding-popup[data-finding-id='{finding_id}'] img[src^='/photos/']")
    expect(served).to_have_count(1)
    expect(served).to_have_js_property("complete", True)
    assert served.evaluate("img => img.naturalWidth") > 0


def test_stretch_by_tapping_three_points_is_a_linestring(phone, session, walk, damage_required):
    open_walk_map(phone, walk)
    phone.locator("#pin-button").click()
    phone.locator("#line-button").click()
    expect(phone.locator("#line-tools")).to_be_visible()
    box = phone.locator("#map").bounding_box()
    for fx, fy in ((0.3, 0.3), (0.5, 0.45), (0.7, 0.35)):
        phone.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    expect(phone.locator("#line-count")).to_contain_text("3")
    phone.locator("#line-undo").click()
    expect(phone.locator("#line-count")).to_contain_text("2")
    phone.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.35)
    phone.locator("#line-done").click()
    expect(phone.locator("#line-tools")).to_be_hidden()
    phone.locator("#next-button").click()

    phone.locator("input[name=category][value=cycle_path]").check()
    phone.locator("#next-button").click()
    expect(phone.locator("fieldset.question[data-code=damage]")).to_be_visible()
    expect(phone.locator("fieldset.question[data-code=damage]")).to_contain_text("Pflichtangabe")
    phone.locator("#next-button").click()  # the required question is not answered yet
    expect(phone.locator("#attr-damage-error")).to_contain_text("Bitte beantworten")
    expect(phone.locator("#send-button")).to_be_hidden()
    phone.locator(".choice", has_text="Schlaglöcher").click()
    to_last_step(phone)
    phone.locator("#send-button").click()

    popup = saved_popup(phone, "Radweg")
    stored = row(session, "SELECT ST_GeometryType(geom) AS kind, ST_NPoints(geom) AS n, attributes FROM findings WHERE id = :id",
                 id=uuid.UUID(popup.get_attribute("data-finding-id")))
    assert (stored["kind"], stored["n"]) == ("ST_LineString", 3)
    assert stored["attributes"] == {"damage": ["potholes"]}


def test_answer_to_the_category_question_is_stored(phone, session, walk):
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")
    question = phone.locator("fieldset.question[data-code=ground_floor]")
    expect(question).to_contain_text("Im Erdgeschoss?")
    question.locator(".choice", has_text="Ja").click()
    to_last_step(phone)
    phone.locator(".urgency__option").nth(3).click()
    phone.locator("#send-button").click()

    popup = saved_popup(phone)
    expect(popup).to_contain_text("Im Erdgeschoss?")
    stored = row(session, "SELECT attributes, urgency FROM findings WHERE id = :id",
                 id=uuid.UUID(popup.get_attribute("data-finding-id")))
    assert stored["attributes"] == {"ground_floor": "yes"}
    assert stored["urgency"] == 4


def test_photo_first_with_gps_places_the_pin_in_rheinhausen(phone, session, photo_storage):
    walk_id = make_walk(session, title="Rheinhausen-Mitte", lat=RHEINHAUSEN_MARKT[0], lon=RHEINHAUSEN_MARKT[1])
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    photo = jpeg(gps=RHEINHAUSEN_MARKT)
    open_walk_map(phone, {"id": walk_id, "code": code})
    phone.locator("#pin-button").click()
    with phone.expect_file_chooser() as chooser:
        phone.locator("#photo-first-button").click()
    chooser.value.set_files(files=[file_payload(photo, "markt.jpg")])

    offer = phone.locator("#photo-place")
    expect(offer).to_contain_text("Ort aus dem Foto übernehmen?")
    expect(offer).not_to_have_class(re.compile(r"offer--warning"))
    phone.locator("#photo-place-accept").click()
    expect(phone.locator("#place-hint")).to_contain_text("aus dem Foto")
    phone.locator("#next-button").click()
    phone.locator("input[name=category][value=empty_shop]").check()
    phone.locator("#next-button").click()
    to_last_step(phone)
    phone.locator("#send-button").click()

    popup = saved_popup(phone, "Rheinhausen-Mitte")
    finding_id = uuid.UUID(popup.get_attribute("data-finding-id"))
    stored = row(session, "SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon, accuracy_m FROM findings WHERE id = :id", id=finding_id)
    assert (stored["lat"], stored["lon"]) == pytest.approx(RHEINHAUSEN_MARKT, abs=1e-5)
    assert stored["accuracy_m"] is None
    assert eventually(lambda: rows(session, "SELECT 1 FROM photos WHERE finding_id = :id", id=finding_id))


def test_a_photo_taken_far_from_the_walk_is_offered_with_a_warning(phone, session, photo_storage, walk):
    open_walk_map(phone, walk)  # the walk meets on Bismarckplatz, the photo was taken in Rheinhausen
    phone.locator("#pin-button").click()
    with phone.expect_file_chooser() as chooser:
        phone.locator("#photo-first-button").click()
    chooser.value.set_files(files=[file_payload(jpeg(gps=RHEINHAUSEN_MARKT), "alt.jpg")])

    offer = phone.locator("#photo-place")
    expect(offer).to_contain_text(re.compile(r"Das Foto wurde [2-8],\d km von der Begehung entfernt aufgenommen"))
    expect(offer).to_have_class(re.compile(r"offer--warning"))
    box = offer.bounding_box()
    assert box and box["y"] + box["height"] <= phone.viewport_size["height"]
    phone.locator("#photo-place-decline").click()
    expect(offer).to_be_hidden()
    expect(phone.locator("#photo-place-question")).to_have_text("Ort aus dem Foto übernehmen?")


# ---- +1 instead of a duplicate -----------------------------------------------------

def test_nearby_finding_gets_a_plus_one_and_no_new_pin(phone, session, walk):
    ten_metres_north = BISMARCKPLATZ[0] + 10 / METRES_PER_DEGREE_LAT
    theirs = others_finding(session, walk["id"], ten_metres_north, BISMARCKPLATZ[1], description="Ehemalige Bäckerei")
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")

    panel = phone.locator("#nearby-panel")
    expect(panel).to_contain_text("Ist es einer davon?")
    item = panel.locator(f".nearby-item[data-finding-id='{theirs}']")
    expect(item).to_contain_text("Ehemalige Bäckerei")
    expect(item.locator(".nearby-item__distance")).to_have_text("10 m")
    expect(phone.locator("#send-button")).to_be_disabled()
    expect(phone.locator("#next-button")).to_be_hidden()
    item.get_by_role("button", name="+1 Ich habe das auch gesehen").click()

    expect(phone.locator("#capture-sheet")).to_be_hidden()
    expect(phone.locator("#status")).to_contain_text("kein neuer Fund")
    confirmations = rows(session, "SELECT participant_id FROM confirmations WHERE finding_id = :id", id=theirs)
    assert len(confirmations) == 1
    assert row(session, "SELECT count(*) AS n FROM findings WHERE walk_id = :w", w=walk["id"])["n"] == 1


def test_no_it_is_new_continues_to_a_new_finding(phone, session, walk):
    others_finding(session, walk["id"], BISMARCKPLATZ[0] + 0.00005, BISMARCKPLATZ[1])
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")
    expect(phone.locator("#nearby-panel")).to_be_visible()
    expect(phone.locator("#description")).to_be_hidden()
    phone.locator("#nearby-dismiss").click()
    expect(phone.locator("fieldset.question[data-code=ground_floor]")).to_be_visible()
    to_last_step(phone)
    expect(phone.locator("#description")).to_be_visible()
    phone.locator("#send-button").click()
    # Saved beside the other one: the two pins form a group, the map stays where it is.
    expect(phone.locator("#status")).to_contain_text("Gespeichert: Leeres Ladenlokal in Alt-Homberg", timeout=10000)
    expect(phone.locator(".finding-cluster[data-count='2']")).to_be_visible()
    expect(phone.locator(".finding-popup")).to_have_count(0)
    assert eventually(lambda: row(session, "SELECT count(*) AS n FROM findings WHERE walk_id = :w", w=walk["id"])["n"] == 2)


# ---- own and others' pins ------------------------------------------------------------

def test_edit_and_delete_own_pin(phone, session, walk):
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")
    to_last_step(phone)
    phone.locator("#description").fill("vorher")
    phone.locator("#send-button").click()
    popup = saved_popup(phone)
    finding_id = uuid.UUID(popup.get_attribute("data-finding-id"))

    popup.get_by_role("button", name="Bearbeiten").click()
    expect(phone.locator("#capture-title")).to_have_text("Fund bearbeiten")
    expect(phone.locator("#capture-progress")).to_have_text("Schritt 4 von 4")  # text and photos: what is edited most
    expect(phone.locator("#description")).to_have_value("vorher")
    expect(phone.locator("input[name=category][value=empty_shop]")).to_be_checked()
    phone.locator("#description").fill("nachher")
    phone.locator("#send-button").click()
    expect(saved_popup(phone)).to_contain_text("nachher")
    assert eventually(lambda: row(session, "SELECT description FROM findings WHERE id = :id", id=finding_id)["description"] == "nachher")

    popup = phone.locator(f".finding-popup[data-finding-id='{finding_id}']")
    popup.get_by_role("button", name="Löschen").click()
    popup.get_by_role("button", name="Ja, löschen").click()
    expect(phone.locator(f".finding-marker[data-finding-id='{finding_id}']")).to_have_count(0)
    assert eventually(lambda: row(session, "SELECT 1 AS x FROM findings WHERE id = :id", id=finding_id) is None)


def test_others_pin_offers_plus_one_but_no_edit_and_refuses_a_patch(phone, session, walk):
    theirs = others_finding(session, walk["id"], BISMARCKPLATZ[0] + 0.0008, BISMARCKPLATZ[1], description="nicht meins")
    open_walk_map(phone, walk)
    phone.locator(f".finding-marker[data-finding-id='{theirs}']").click()
    popup = phone.locator(f".finding-popup[data-finding-id='{theirs}']")
    expect(popup).to_contain_text("nicht meins")
    expect(popup.get_by_role("button", name="Bearbeiten")).to_have_count(0)
    expect(popup.get_by_role("button", name="Löschen")).to_have_count(0)
    expect(popup.locator(".badge--mine")).to_have_count(0)
    vote = popup.locator(".btn--vote")
    expect(vote).to_contain_text("+1")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_contain_text("(1)")

    # The page's own cookie (made by the +1) may not change someone else's finding.
    response = phone.request.patch(f"/api/findings/{theirs}", data={"description": "übernommen"})
    assert response.status == 403
    assert row(session, "SELECT description FROM findings WHERE id = :id", id=theirs)["description"] == "nicht meins"


@pytest.mark.tolerate_console("status of 422")
def test_a_refused_finding_comes_back_into_the_form_with_the_reason(phone, session, walk):
    open_walk_map(phone, walk)
    # The organiser narrows the walk to noise after the page loaded its categories.
    session.execute(text("INSERT INTO walk_categories (walk_id, category_slug) VALUES (:w, 'noise')"), {"w": walk["id"]})
    session.commit()
    start_finding(phone, "empty_shop")
    to_last_step(phone)
    phone.locator("#description").fill("bitte nicht verlieren")
    phone.locator("#send-button").click()

    expect(phone.locator("#category-error")).to_be_visible(timeout=10000)
    expect(phone.locator("#capture-progress")).to_have_text("Schritt 2 von 4")  # opens at the step to fix
    expect(phone.locator("#capture-sheet")).to_be_visible()
    expect(phone.locator("#description")).to_have_value("bitte nicht verlieren")
    expect(phone.locator("input[name=category][value=empty_shop]")).to_be_checked()
    expect(phone.locator(".finding-marker--pending")).to_have_count(0)
    assert row(session, "SELECT count(*) AS n FROM findings WHERE walk_id = :w", w=walk["id"])["n"] == 0
