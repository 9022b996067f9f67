""""Meine Funde" on a small phone: the participant's own findings with what became of them, a way
back to each on the map, and the findings still waiting in the outbox, also after reloading the
page offline: listed, drawn as waiting pins, and stored exactly once when the connection is back."""
import hashlib
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.photos.storage import LocalStorage
from tests.browser.conftest import checked_page
from tests.browser.phones import serious_violations
from tests.browser.capture import north, post_finding, start_finding, to_last_step
from tests.factories import BISMARCKPLATZ, finding_payload, make_finding, make_walk
from tests.photos.images import jpeg, picture

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
CALL = """([name, ...args]) => import('/static/js/capture/outbox.js').then((box) => box[name](...args))"""


@pytest.fixture
def small_phone(browser, live_server, request):
    with checked_page(browser, request, viewport=SMALL_PHONE, device_scale_factor=2, is_mobile=True,
                      has_touch=True, base_url=live_server) as page:
        yield page


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> LocalStorage:
    storage = LocalStorage(tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    return storage


def walk_code(session) -> tuple:
    walk_id = make_walk(session)
    return walk_id, session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()


def open_walk_map(page, code, lang):
    page.goto(f"/w/{code}?lang={lang}")
    page.locator("#join-button").click()
    page.wait_for_url(f"**/w/{code}/map")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def group_into_concern(session, finding_id, status):
    session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom, status)
        SELECT gen_random_uuid(), 'Intern: Eigentümer anrufen', 'intern', category_slug, geom, :status
        FROM findings WHERE id = :id RETURNING id"""), {"id": finding_id, "status": status})
    session.execute(text("""UPDATE findings SET concern_id = (SELECT id FROM concerns ORDER BY created_at DESC LIMIT 1)
                            WHERE id = :id"""), {"id": finding_id})
    session.commit()


def inside_viewport(locator):
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= SMALL_PHONE["width"] + 0.5, box
    assert box["y"] + box["height"] <= SMALL_PHONE["height"] + 0.5, box


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_list_shows_ones_own_findings_with_their_status_and_leads_to_each_on_the_map(
        small_phone, session, uploads, lang):
    page = small_phone
    walk_id, code = walk_code(session)
    open_walk_map(page, code, lang)
    grouped = post_finding(page, category="empty_shop", walk_id=str(walk_id))
    photo = jpeg(picture(colour=(200, 60, 60)))
    stored = page.request.put(f"/api/findings/{grouped}/photos/{hashlib.sha256(photo).hexdigest()}", data=photo,
                              headers={"Content-Type": "image/jpeg", "X-Filename": "laden.jpg"})
    assert stored.status == 201, stored.text()
    fresh = post_finding(page, category="litter", walk_id=str(walk_id), lat=north(300))
    make_finding(session, category="noise", walk_id=walk_id)  # someone else's
    group_into_concern(session, grouped, "in_review")

    button = page.locator("#mine-button")
    inside_viewport(button)
    inside_viewport(page.locator("#pin-button"))
    button.click()
    panel = page.locator("#mine-panel")
    expect(panel).to_be_visible()
    items = panel.locator(".mine-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("data-finding-id", fresh)
    expect(items.nth(1)).to_have_attribute("data-finding-id", grouped)
    expect(items.nth(1)).to_have_attribute("data-state", "in_review")
    expect(items.nth(0)).to_have_attribute("data-state", "new")
    if lang == "de":
        expect(items.nth(1).locator(".mine-item__status")).to_have_text("Stand: In Prüfung")
        expect(items.nth(0).locator(".mine-item__status")).to_have_text("Gesendet, noch nicht bearbeitet")
        expect(items.nth(1)).to_contain_text("Alt-Homberg")
    else:
        expect(items.nth(1).locator(".mine-item__status")).not_to_contain_text("Prüfung")
        assert page.locator("html").get_attribute("dir") == "rtl"
    expect(panel).not_to_contain_text("Intern")
    thumb = items.nth(1).locator(".mine-item__photos img")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0
    for part in (page.locator("#mine-title"), page.locator("#mine-close"), items.nth(0).locator(".mine-item__show")):
        inside_viewport(part)
    page.screenshot(path=f"/tmp/mine_list_{lang}.png")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()

    items.nth(0).locator(".mine-item__show").click()
    expect(panel).to_be_hidden()
    popup = page.locator(f".leaflet-popup .finding-popup[data-finding-id='{fresh}']")
    expect(popup).to_be_visible()
    inside_viewport(popup)
    expect(popup).to_be_focused()
    page.screenshot(path=f"/tmp/mine_shown_{lang}.png")

    page.locator("#mine-button").click()
    expect(items).to_have_count(2)
    fresh_item = items.filter(has=page.locator(f"#mine-item-{fresh}"))
    fresh_item.locator(".finding-popup__actions:not(.finding-popup__confirm) .btn--danger").click()  # "Löschen"
    fresh_item.locator(".finding-popup__confirm .btn--danger").click()  # "Ja, löschen"
    expect(items).to_have_count(1)
    session.rollback()
    assert session.execute(text("SELECT count(*) FROM findings WHERE id = :id"), {"id": fresh}).scalar() == 0

    items.nth(0).locator(".finding-popup__actions .btn--secondary").first.click()  # "Bearbeiten"
    expect(panel).to_be_hidden()
    expect(page.locator("#capture-sheet")).to_be_visible()
    expect(page.locator("#capture-sheet")).to_have_attribute("data-mode", "edit")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_front_door_lists_all_of_ones_findings(small_phone, session, lang):
    page = small_phone
    walk_id, _ = walk_code(session)
    page.goto(f"/?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    own = [post_finding(page, walk_id=str(walk_id)), post_finding(page, lat=north(-900))]
    make_finding(session, category="noise")  # someone else's
    page.locator("#mine-button").click()
    items = page.locator("#mine-panel .mine-item")
    expect(items).to_have_count(2)
    assert sorted(items.evaluate_all("items => items.map((i) => i.dataset.findingId)")) == sorted(own)
    inside_viewport(page.locator("#mine-close"))
    page.screenshot(path=f"/tmp/mine_home_{lang}.png")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()


# Offline, Chromium logs every fetch that fails, also those the page handles.
@pytest.mark.tolerate_console("net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED")
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_findings_waiting_after_an_offline_reload_are_listed_drawn_and_sent_once(small_phone, session, lang):
    page = small_phone
    walk_id, code = walk_code(session)
    open_walk_map(page, code, lang)
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    status = page.locator("#sync-status")

    page.context.set_offline(True)
    waiting = [finding_payload(category=category, walk_id=str(walk_id), lat=north(metres))
               for category, metres in (("noise", 600), ("litter", -600))]
    for payload in waiting:
        page.evaluate(CALL, ["submitFinding", payload, []])
    expect(status).to_have_attribute("data-pending", "2")

    page.reload()  # offline: the page comes from the service worker, the findings from the outbox
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(status).to_have_attribute("data-pending", "2")
    for payload in waiting:
        expect(page.locator(f".finding-marker--pending[data-finding-id='{payload['id']}']")).to_be_visible()

    page.locator("#mine-button").click()
    items = page.locator("#mine-panel .mine-item")
    expect(items).to_have_count(2)
    assert sorted(items.evaluate_all("items => items.map((i) => i.dataset.findingId)")) == \
        sorted(p["id"] for p in waiting)
    for index in range(2):
        expect(items.nth(index)).to_have_attribute("data-state", "waiting")
    if lang == "de":
        expect(items.nth(0).locator(".mine-item__status")).to_have_text("Wartet auf Senden")
    inside_viewport(items.nth(0).locator(".mine-item__show"))
    page.screenshot(path=f"/tmp/mine_offline_{lang}.png")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()

    items.nth(0).locator(".mine-item__show").click()
    expect(page.locator(".leaflet-popup .finding-popup[data-pending='1']")).to_be_visible()

    page.context.set_offline(False)
    expect(status).to_have_attribute("data-pending", "0", timeout=20000)
    for payload in waiting:
        marker = page.locator(f".finding-marker[data-finding-id='{payload['id']}']")
        expect(marker).not_to_have_class(re.compile("finding-marker--pending"), timeout=10000)
    session.rollback()
    rows = session.execute(text("SELECT id::text, category_slug FROM findings WHERE walk_id = :walk"),
                           {"walk": walk_id}).all()
    assert sorted(rows) == sorted((p["id"], p["category"]) for p in waiting)


@pytest.mark.tolerate_console("net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED")
def test_edits_and_deletions_waiting_after_an_offline_reload_keep_their_pins_right(small_phone, session):
    page = small_phone
    walk_id, code = walk_code(session)
    page.goto(f"/w/{code}")
    page.locator("#join-button").click()
    page.wait_for_url(f"**/w/{code}/map")
    edited, deleted = (post_finding(page, walk_id=str(walk_id), lat=north(metres)) for metres in (600, -600))
    page.reload()  # both on the map, and the walk's findings stored for offline use
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    expect(page.locator(f".finding-marker[data-finding-id='{deleted}']")).to_be_visible()

    page.context.set_offline(True)
    page.evaluate(CALL, ["submitEdit", edited, {"description": "Später ergänzt", "category": "litter"}])
    page.evaluate(CALL, ["submitDelete", deleted])
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(page.locator(f".finding-marker--pending[data-finding-id='{edited}']")).to_be_visible()
    expect(page.locator(f".finding-marker[data-finding-id='{deleted}']")).to_have_count(0)
    page.locator("#mine-button").click()
    items = page.locator("#mine-panel .mine-item")
    expect(items).to_have_count(1)
    expect(items.first).to_have_attribute("data-finding-id", edited)
    expect(items.first).to_have_attribute("data-state", "waiting")
    expect(items.first).to_contain_text("Müll und Schmutz")

    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0", timeout=20000)
    expect(page.locator(f".finding-marker--pending[data-finding-id='{edited}']")).to_have_count(0, timeout=10000)
    session.rollback()
    rows = session.execute(text("SELECT id::text, category_slug, description FROM findings WHERE walk_id = :walk"),
                           {"walk": walk_id}).all()
    assert rows == [(edited, "litter", "Später ergänzt")]


def pin_offline(page, category, description) -> str:
    """Offline, pin a finding by GPS on Bismarckplatz through the form; return its id once it waits."""
    start_finding(page, category, accuracy_m=8)
    to_last_step(page)
    page.locator("#description").fill(description)
    page.locator("#send-button").click()
    expect(page.locator("#capture-sheet")).to_be_hidden()
    marker = page.locator(".finding-marker--pending")
    expect(marker).to_have_count(1)
    return marker.get_attribute("data-finding-id")


def edit_waiting(page, finding_id, before, after):
    """Change the description of a waiting finding through "Meine Funde" → "Bearbeiten"."""
    page.locator("#mine-button").click()
    item = page.locator(f"#mine-panel .mine-item[data-finding-id='{finding_id}']")
    expect(item).to_have_attribute("data-state", "waiting")
    expect(item.locator(".mine-item__description")).to_have_text(before)
    edit = item.get_by_role("button", name="Bearbeiten")
    edit.scroll_into_view_if_needed()  # the list scrolls
    inside_viewport(edit)
    edit.click()
    sheet = page.locator("#capture-sheet")
    expect(sheet).to_have_attribute("data-mode", "edit")
    expect(page.locator("#capture-progress")).to_have_text("Schritt 4 von 4")
    expect(page.locator("#description")).to_have_value(before)
    page.wait_for_function("() => !document.getElementById('capture-sheet').getAnimations().length")  # slid in
    inside_viewport(page.locator("#description"))
    inside_viewport(page.locator("#send-button"))
    page.locator("#description").fill(after)
    page.locator("#send-button").click()
    expect(sheet).to_be_hidden()


def walk_rows(session, walk_id):
    session.rollback()
    return session.execute(text("SELECT id::text, category_slug, description FROM findings WHERE walk_id = :walk"),
                           {"walk": walk_id}).all()


@pytest.fixture
def gps_on_bismarckplatz(small_phone):
    small_phone.context.grant_permissions(["geolocation"])
    small_phone.context.set_geolocation({"latitude": BISMARCKPLATZ[0], "longitude": BISMARCKPLATZ[1], "accuracy": 8})
    return small_phone


@pytest.mark.tolerate_console("net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED")
@pytest.mark.parametrize("reload", [False, True], ids=["same-page", "after-offline-reload"])
def test_a_waiting_finding_is_edited_shown_edited_and_stored_once_as_edited(gps_on_bismarckplatz, session, reload):
    page = gps_on_bismarckplatz
    walk_id, code = walk_code(session)
    open_walk_map(page, code, "de")
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    status = page.locator("#sync-status")

    page.context.set_offline(True)
    finding_id = pin_offline(page, "litter", "Sperrmüll am Eingang")
    if reload:
        page.reload()  # offline: the finding now comes back from the outbox
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    edit_waiting(page, finding_id, "Sperrmüll am Eingang", "Sperrmüll und Glasscherben am Eingang")
    expect(status).to_have_attribute("data-pending", "1")

    # Before anything is sent, the list and the waiting pin show the edited text.
    page.locator("#mine-button").click()
    item = page.locator(f"#mine-panel .mine-item[data-finding-id='{finding_id}']")
    expect(page.locator("#mine-panel .mine-item")).to_have_count(1)
    expect(item).to_have_attribute("data-state", "waiting")
    expect(item.locator(".mine-item__description")).to_have_text("Sperrmüll und Glasscherben am Eingang")
    page.screenshot(path=f"/tmp/mine_waiting_edited_{reload}.png")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()
    item.locator(".mine-item__show").click()
    popup = page.locator(f".leaflet-popup .finding-popup[data-finding-id='{finding_id}']")
    expect(popup).to_have_attribute("data-pending", "1")
    expect(popup.locator(".finding-popup__description")).to_have_text("Sperrmüll und Glasscherben am Eingang")
    assert walk_rows(session, walk_id) == []

    page.context.set_offline(False)
    expect(status).to_have_attribute("data-pending", "0", timeout=20000)
    expect(page.locator(f".finding-marker--pending[data-finding-id='{finding_id}']")).to_have_count(0, timeout=10000)
    sent = page.locator(f".leaflet-popup .finding-popup[data-finding-id='{finding_id}']:not([data-pending])")
    expect(sent.locator(".finding-popup__description")).to_have_text("Sperrmüll und Glasscherben am Eingang")
    assert walk_rows(session, walk_id) == [(finding_id, "litter", "Sperrmüll und Glasscherben am Eingang")]


@pytest.mark.tolerate_console("net::ERR_FAILED", "ERR_INTERNET_DISCONNECTED", "status of 422")
def test_a_refused_waiting_finding_comes_back_into_the_form_as_edited(gps_on_bismarckplatz, session):
    page = gps_on_bismarckplatz
    walk_id, code = walk_code(session)
    open_walk_map(page, code, "de")
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    # The organiser narrows the walk to noise after the page loaded its categories.
    session.execute(text("INSERT INTO walk_categories (walk_id, category_slug) VALUES (:w, 'noise')"), {"w": walk_id})
    session.commit()

    page.context.set_offline(True)
    finding_id = pin_offline(page, "empty_shop", "Leer seit Mai")
    edit_waiting(page, finding_id, "Leer seit Mai", "Leer seit Mai, Schaufenster verklebt")
    page.context.set_offline(False)

    expect(page.locator("#category-error")).to_be_visible(timeout=20000)
    expect(page.locator("#capture-sheet")).to_have_attribute("data-mode", "create")
    expect(page.locator("#capture-progress")).to_have_text("Schritt 2 von 4")
    expect(page.locator("#description")).to_have_value("Leer seit Mai, Schaufenster verklebt")
    expect(page.locator(".finding-marker--pending")).to_have_count(0)
    expect(page.locator("#sync-status")).to_have_attribute("data-pending", "0")
    assert walk_rows(session, walk_id) == []
