"""The self-hosted basemap in Chromium: the walk map draws the app's own /basemap/ tiles and no
request leaves the app's origin; "Karte für unterwegs speichern" stores the walk's area (n of N,
MB, 100 %), after which the map draws those tiles with the network cut."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.basemap.archive import basemap, basemap_file  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_page
from tests.browser.phones import serious_violations
from tests.browser.capture import saved_popup
from tests.factories import BISMARCKPLATZ, make_walk

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
PIXEL_7 = {"width": 412, "height": 839}
# Tile canvases protomaps-leaflet has drawn, and how many of them show more than one colour.
DRAWN_TILES = """() => {
  const tiles = [...document.querySelectorAll('#map canvas.leaflet-tile')];
  const varied = tiles.filter((canvas) => {
    if (!canvas.width) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 4; i < pixels.length; i += 4) {
      if (pixels[i] !== pixels[0] || pixels[i + 1] !== pixels[1] || pixels[i + 2] !== pixels[2]) return true;
    }
    return false;
  });
  return { tiles: tiles.length, drawn: varied.length };
}"""


@pytest.fixture
def join_code(session):
    walk = make_walk(session, title="Leerstand am Bismarckplatz", meeting_point_name="Bismarckplatz, vor dem Rathaus")
    return session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()


@pytest.fixture
def small_phone(browser, live_server, request):
    """A 360×640 phone standing on Bismarckplatz (another size by indirect parametrisation)."""
    viewport = getattr(request, "param", SMALL_PHONE)
    with checked_page(browser, request, viewport=viewport, device_scale_factor=2, is_mobile=True,
                      has_touch=True, permissions=["geolocation"], base_url=live_server,
                      geolocation={"latitude": BISMARCKPLATZ[0], "longitude": BISMARCKPLATZ[1], "accuracy": 12},
                      ) as page:
        yield page


def pin_a_finding(page, category="empty_shop"):
    """The whole capture flow by GPS, step by step, whatever steps the sheet asks for."""
    page.locator("#pin-button").click()
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text("12")
    choice = page.locator(f"input[name=category][value={category}]")
    send = page.locator("#send-button")
    for _step in range(6):
        if choice.is_visible() and not choice.is_checked():
            choice.check()
        elif send.is_visible() and send.is_enabled():
            send.click()
            return saved_popup(page)
        else:
            page.locator("#next-button").click()
    raise AssertionError("the capture flow never offered to send")


def wait_for_drawn_tiles(page, minimum=1):
    page.wait_for_function(f"() => ({DRAWN_TILES})().drawn >= {minimum}", timeout=20000)
    return page.evaluate(DRAWN_TILES)


def foreign(page, live_server):
    origin = urlsplit(live_server)
    return [url for url in page.requests
            if not url.startswith(("data:", "blob:")) and urlsplit(url)[:2] != origin[:2]]


@pytest.mark.parametrize("small_phone", [SMALL_PHONE, PIXEL_7], indirect=True, ids=["360x640", "412x839"])
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_walk_map_draws_the_basemap_and_no_request_leaves_the_origin(
        small_phone, live_server, join_code, basemap, lang):
    page = small_phone
    page.goto(f"/w/{join_code}?lang={lang}")
    page.locator("#join-button").click()
    page.wait_for_url(f"**/w/{join_code}/map")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)

    drawn = wait_for_drawn_tiles(page, 2)
    assert drawn["tiles"] >= 2
    assert any("/basemap/" in url and url.endswith(".mvt") for url in page.requests)
    assert page.locator("#map").get_attribute("class").find("map--no-tiles") == -1
    page.screenshot(path=f"/tmp/basemap_walk_map_{lang}_{page.viewport_size['width']}.png")

    pin_a_finding(page)
    # Leaflet fades popups in: check the colours once it is fully shown.
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-popup')]"
                           ".every((el) => getComputedStyle(el).opacity === '1')")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()
    assert foreign(page, live_server) == []


def test_the_basemap_renderer_comes_from_the_app(small_phone, join_code, basemap):
    small_phone.goto(f"/w/{join_code}/map")
    expect(small_phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    assert small_phone.evaluate("() => typeof window.protomapsL?.leafletLayer") == "function"
    scripts = small_phone.locator("script[src]").evaluate_all("(els) => els.map((el) => el.src)")
    assert any("/vendor/protomaps/protomaps-leaflet.js" in src for src in scripts)


# Offline, tiles of the view beyond the stored area fail (Chromium logs each failed fetch).
@pytest.mark.tolerate_console("net::ERR_FAILED", "Failed to fetch", "ERR_INTERNET_DISCONNECTED")
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_saving_the_walk_area_lets_the_map_draw_offline(small_phone, live_server, join_code, basemap, lang):
    page = small_phone
    page.goto(f"/w/{join_code}?lang={lang}")
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    section = page.locator("#offline-area")
    expect(section).to_be_visible()
    save = page.locator("#offline-area-save")
    save.scroll_into_view_if_needed()
    save.click()

    expect(section).to_have_attribute("data-state", "saved", timeout=30000)
    progress = page.locator("#offline-area-progress")
    expect(progress).to_be_visible()
    assert progress.evaluate("(el) => el.value === el.max && el.max > 1")
    count = progress.evaluate("(el) => el.max")
    status = page.locator("#offline-area-status")
    if lang == "de":
        expect(status).to_contain_text(re.compile(rf"Gespeichert: {count} Kartenteile, [\d,]+ (kB|MB)\."))
    for element in (status, progress, page.locator("#offline-area-save")):
        box = element.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"], box
    stored = page.evaluate("() => caches.open('mapapp-area-tiles').then((c) => c.keys()).then((k) => k.length)")
    assert stored == count
    page.screenshot(path=f"/tmp/basemap_join_saved_{lang}.png")
    found, results = serious_violations(page)
    assert found == [], results.generate_report()

    page.goto(f"/w/{join_code}/map?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    page.evaluate("() => caches.delete('mapapp-tiles')")  # only the stored area may draw offline
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("#map").evaluate("(el) => el.scrollIntoView()")
    drawn = wait_for_drawn_tiles(page, 1)
    assert drawn["drawn"] >= 1
    page.screenshot(path=f"/tmp/basemap_offline_{lang}.png")
    assert foreign(page, live_server) == []


def test_too_little_free_space_is_said_before_anything_is_stored(small_phone, join_code, basemap):
    page = small_phone
    page.add_init_script("navigator.storage.estimate = async () => ({ quota: 1000, usage: 900 });")
    page.goto(f"/w/{join_code}")
    page.locator("#offline-area-save").click()
    section = page.locator("#offline-area")
    expect(section).to_have_attribute("data-state", "no-space")
    expect(page.locator("#offline-area-status")).to_contain_text("zu wenig Platz frei")
    assert page.evaluate("() => caches.has('mapapp-area-tiles')") is False
    found, results = serious_violations(page)
    assert found == [], results.generate_report()


def test_saving_can_be_cancelled(browser, live_server, request, join_code, basemap):
    with checked_page(browser, request, viewport=SMALL_PHONE, is_mobile=True, has_touch=True,
                      base_url=live_server, service_workers="block") as page:
        page.route("**/basemap/1[3-5]/**", lambda route: None)  # these tiles never arrive
        page.goto(f"/w/{join_code}")
        page.locator("#offline-area-save").click()
        cancel = page.locator("#offline-area-cancel")
        expect(cancel).to_be_visible()
        expect(cancel).to_be_focused()
        expect(page.locator("#offline-area-status")).to_contain_text("Kartenteilen gespeichert")
        cancel.click()
        expect(page.locator("#offline-area")).to_have_attribute("data-state", "cancelled")
        expect(page.locator("#offline-area-status")).to_contain_text("Abgebrochen")
        expect(page.locator("#offline-area-save")).to_be_focused()
        expect(page.locator("#offline-area-progress")).to_be_hidden()


def test_without_a_basemap_the_join_page_offers_no_saving(small_phone, join_code):
    small_phone.goto(f"/w/{join_code}")
    expect(small_phone.locator("#join-button")).to_be_visible()
    assert small_phone.locator("#offline-area").count() == 0
