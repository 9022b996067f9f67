"""Offline on a walk: the walk's map opens from the service worker's cache, findings and photos
wait in the outbox, and reach PostGIS exactly once when the connection is back, even when an
answer gets lost on the way."""
import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.photos.storage import LocalStorage, photo_key
from tests.browser.phones import serious_violations
from tests.browser.capture import start_finding, to_last_step
from tests.factories import BISMARCKPLATZ, finding_payload, make_walk
from tests.photos.images import gps_exif, jpeg, picture

pytestmark = pytest.mark.browser

CUT_CONNECTION = "Failed to load resource: net::ERR_CONNECTION_RESET"
REFUSED = "Failed to load resource: the server responded with a status of 422"
# Drive the outbox directly (as capture.js does through sync.js) and record what it reports.
RECORD = """() => import('/static/js/capture/outbox.js').then(({ outbox }) => {
  window.outboxLog = [];
  for (const type of ['sent', 'rejected']) {
    outbox.addEventListener(type, (e) => window.outboxLog.push({ type, ...e.detail, feature: undefined }));
  }
})"""
CALL = """([name, ...args]) => import('/static/js/capture/outbox.js').then((box) => box[name](...args))"""


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> LocalStorage:
    """This test's photo files, in its own directory."""
    storage = LocalStorage(tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    return storage


@pytest.fixture
def lenient_phone(browser, live_server):
    """Like ``phone``, but the console may report the failed requests a test provokes on purpose
    (``page.expected_errors``: message prefixes, each allowed once)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="de-DE",
        geolocation={"latitude": BISMARCKPLATZ[0], "longitude": BISMARCKPLATZ[1], "accuracy": 12},
        permissions=["geolocation"], base_url=live_server,
    )
    page = context.new_page()
    page.expected_errors = []
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    yield page
    context.close()
    unexpected = list(errors)
    for prefix in page.expected_errors:
        unexpected = [e for e in unexpected if not e.startswith(prefix)] + \
            [e for e in unexpected if e.startswith(prefix)][1:]
    assert unexpected == [], f"the page logged errors: {errors}"


def phone_photo(colour) -> dict:
    """A photo as a phone stores it: JPEG with the place in its GPS EXIF."""
    data = jpeg(picture(colour=colour), exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo should carry GPS"
    return {"name": f"IMG_{colour[0]}_{colour[1]}.jpg", "mimeType": "image/jpeg", "buffer": data}


def join_walk(page, session, lang=None) -> str:
    """Join a new walk through its join page (in `lang`, if given); return the walk map's path once
    it can open offline."""
    walk_id = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    page.goto(f"/w/{code}?lang={lang}" if lang else f"/w/{code}")
    page.locator("#join-button").click()
    page.wait_for_url(f"**/w/{code}/map")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    return f"/w/{code}/map"


def pin(page, category, colour, north_m):
    """Pin a finding with one photo through the form, standing `north_m` metres north of Bismarckplatz."""
    page.context.set_geolocation({"latitude": BISMARCKPLATZ[0] + north_m / 111_200,
                                  "longitude": BISMARCKPLATZ[1], "accuracy": 8})
    start_finding(page, category, accuracy_m=8)
    to_last_step(page)
    page.locator("#photo-gallery-input").set_input_files(files=[phone_photo(colour)])
    expect(page.locator("#photo-list li")).to_have_count(1)
    page.locator("#send-button").click()
    expect(page.locator("#capture-sheet")).to_be_hidden()


def findings_of_walk(session, path):
    session.rollback()
    return session.execute(text("""
        SELECT f.id, f.category_slug, f.participant_id, count(p.id) AS photos,
               array_remove(array_agg(p.stored_sha256), NULL) AS stored
        FROM findings f JOIN walks w ON w.id = f.walk_id LEFT JOIN photos p ON p.finding_id = f.id
        WHERE w.join_code = :code GROUP BY f.id"""), {"code": path.split("/")[2]}).mappings().all()


# Offline, Chromium logs every fetch that fails, also those the page handles (a poll of the walk's
# findings that the service worker has no copy of yet answers "offline" in the status line).
@pytest.mark.tolerate_console("net::ERR_FAILED")
def test_findings_made_offline_reach_postgis_once_with_their_photos(phone, session, uploads):
    walk_map = join_walk(phone, session)
    status = phone.locator("#sync-status")

    pin(phone, "empty_shop", (200, 40, 40), 0)
    expect(status).to_contain_text("Alles gesendet", timeout=15000)
    expect(status).to_contain_text(re.compile(r"zuletzt \d{2}:\d{2} MES?Z"))  # Duisburg time, zone named

    phone.context.set_offline(True)
    expect(status).to_contain_text("Offline")
    pin(phone, "noise", (40, 200, 40), 60)
    pin(phone, "litter", (40, 40, 200), -60)
    expect(status).to_contain_text("2 Funde warten auf Verbindung")

    phone.reload()  # still offline: the page, its scripts and the walk's data come from the cache
    assert phone.url.endswith(walk_map)
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(phone.locator("#pin-button")).to_be_visible()
    expect(status).to_contain_text("Offline – Funde werden gespeichert")
    expect(status).to_contain_text("2 Funde warten auf Verbindung")
    assert len(findings_of_walk(session, walk_map)) == 1

    phone.context.set_offline(False)
    expect(status).to_contain_text("Alles gesendet", timeout=20000)

    rows = findings_of_walk(session, walk_map)
    assert sorted(r["category_slug"] for r in rows) == ["empty_shop", "litter", "noise"]
    assert len({r["participant_id"] for r in rows}) == 1 and rows[0]["participant_id"] is not None
    assert [r["photos"] for r in rows] == [1, 1, 1]
    for row in rows:
        with uploads.open(photo_key(row["stored"][0], "web")) as stored:
            image = Image.open(stored)
            image.load()
        assert len(image.getexif()) == 0, "the stored photo still carries EXIF"


def test_a_lost_answer_is_retried_and_the_finding_stored_once(lenient_phone, session, uploads):
    phone = lenient_phone
    phone.expected_errors.append(CUT_CONNECTION)
    walk_map = join_walk(phone, session)
    posted = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posted.append(route.request.post_data_json["id"])
        if len(posted) == 1:
            route.fetch()  # the server stores the finding ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            route.continue_()

    phone.route("**/api/findings", lose_the_first_answer)
    pin(phone, "noise", (120, 120, 40), 0)
    expect(phone.locator("#sync-status")).to_contain_text("Alles gesendet", timeout=20000)
    expect(phone.locator(".finding-marker--pending")).to_have_count(0)

    assert len(posted) == 2 and posted[0] == posted[1], "the outbox should retry with the same id"
    rows = findings_of_walk(session, walk_map)
    assert [str(r["id"]) for r in rows] == [posted[0]]
    assert rows[0]["photos"] == 1, "the retried finding keeps its owner, so its photo is accepted"
    assert uuid.UUID(posted[0]).version == 4


def test_the_queue_keeps_order_and_drops_what_the_server_refuses(lenient_phone, session):
    phone = lenient_phone
    phone.expected_errors.append(REFUSED)
    phone.goto("/")
    phone.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    phone.evaluate(RECORD)
    edited, refused, withdrawn = (finding_payload(category=c) for c in ("noise", "no_such_category", "litter"))

    phone.context.set_offline(True)
    phone.evaluate(CALL, ["submitFinding", edited, []])
    phone.evaluate(CALL, ["submitEdit", edited["id"], {"description": "Später ergänzt"}])
    phone.evaluate(CALL, ["submitFinding", refused, []])
    phone.evaluate(CALL, ["submitFinding", withdrawn, []])
    phone.evaluate(CALL, ["submitDelete", withdrawn["id"]])  # never left the phone: just dropped
    expect(phone.locator("#sync-status")).to_contain_text("2 Funde warten auf Verbindung")

    phone.context.set_offline(False)
    expect(phone.locator("#sync-status")).to_contain_text("Alles gesendet", timeout=20000)
    expect(phone.locator("#sync-status")).to_contain_text("abgelehnt")
    assert phone.evaluate(CALL, ["pending"]) == 0

    log = phone.evaluate("() => window.outboxLog")
    assert [(e["type"], e["kind"], e["id"]) for e in log] == [
        ("sent", "delete", withdrawn["id"]), ("sent", "create", edited["id"]), ("sent", "edit", edited["id"]),
        ("rejected", "create", refused["id"]),
    ]
    assert log[-1]["status"] == 422 and "category" in log[-1]["fields"]
    session.rollback()
    rows = session.execute(text("SELECT id::text, description FROM findings")).all()
    assert rows == [(edited["id"], "Später ergänzt")]


# ---- the map offline: tiles, district outlines, route, join page, the offline page ------------

TILE_PNG = io.BytesIO()
Image.new("RGB", (256, 256), (214, 226, 214)).save(TILE_PNG, "PNG")
TILE_PNG = TILE_PNG.getvalue()
TILES_IN_CACHE = """async () => (await (await caches.open('mapapp-tiles')).keys()).map((request) => request.url)"""
DRAWN_TILES = """() => [...document.querySelectorAll('img.leaflet-tile')]
  .filter((img) => img.complete && img.naturalWidth > 0).map((img) => img.src)"""
UNKNOWN_OFFLINE = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"


@pytest.fixture
def app_tiles(app, monkeypatch):
    """Map tiles served by the app's own origin under /test-tiles/ (tests never use the internet);
    ``served["cache_control"]`` is what the tile server says about keeping them."""
    served = {"cache_control": "max-age=600", "paths": []}
    inner = app.wsgi_app

    def with_tiles(environ, start_response):
        if not environ["PATH_INFO"].startswith("/test-tiles/"):
            return inner(environ, start_response)
        served["paths"].append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "image/png"), ("Content-Length", str(len(TILE_PNG))),
                                  ("Cache-Control", served["cache_control"])])
        return [TILE_PNG]

    monkeypatch.setattr(app, "wsgi_app", with_tiles)
    monkeypatch.setitem(app.config, "TILE_URL", "/test-tiles/{z}/{x}/{y}.png")
    return served


def drawn_tiles(page, at_least=4):
    page.wait_for_function(f"() => ({DRAWN_TILES})().length >= {at_least}", timeout=15000)
    return set(page.evaluate(DRAWN_TILES))


def kept_tiles(page, count):
    """The tile cache's URLs once it holds `count` of them (waits up to 15 s)."""
    for _ in range(60):
        urls = page.evaluate(TILES_IN_CACHE)
        if len(urls) == count:
            return urls
        page.wait_for_timeout(250)
    assert len(urls) == count, urls


def with_route(session, path):
    """Give the walk of `path` a planned route across Bismarckplatz."""
    session.execute(text("""UPDATE walks SET route = ST_SetSRID(ST_GeomFromGeoJSON(:route), 4326)
                            WHERE join_code = :code"""),
                    {"route": '{"type":"LineString","coordinates":[[6.6985,51.4560],[6.6995,51.4565],[6.7010,51.4572]]}',
                     "code": path.split("/")[2]})
    session.commit()


@pytest.mark.tolerate_console("net::ERR_FAILED", "net::ERR_INTERNET_DISCONNECTED")
def test_tiles_seen_online_are_drawn_offline(phone, session, app_tiles):
    walk_map = join_walk(phone, session)
    online = drawn_tiles(phone)
    kept = set(kept_tiles(phone, len(online)))
    assert kept == online, "every tile shown is kept on the phone"

    phone.context.set_offline(True)
    phone.reload()
    assert phone.url.endswith(walk_map)
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    assert drawn_tiles(phone, at_least=len(online)) == online


def test_the_tile_cache_keeps_only_the_newest_tiles(phone, session, app, app_tiles, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_CACHE_ENTRIES", 5)
    join_walk(phone, session)
    first = drawn_tiles(phone, at_least=6)
    zoom = int(next(iter(first)).split("/")[-3])
    kept_tiles(phone, 5)

    phone.locator(".leaflet-control-zoom-out").click()
    phone.wait_for_function(f"() => ({DRAWN_TILES})().filter((src) => src.includes('/test-tiles/{zoom - 1}/')).length >= 5")
    phone.wait_for_timeout(500)  # let the last tiles be stored and the cache trimmed
    kept = kept_tiles(phone, 5)
    assert all(f"/test-tiles/{zoom - 1}/" in url for url in kept), "the oldest tiles go first"


def test_tiles_the_server_says_not_to_store_are_not_kept(phone, session, app_tiles):
    app_tiles["cache_control"] = "private, no-store"
    join_walk(phone, session)
    drawn_tiles(phone)
    phone.wait_for_timeout(1000)
    assert phone.evaluate(TILES_IN_CACHE) == []


@pytest.mark.tolerate_console("net::ERR_FAILED", "net::ERR_INTERNET_DISCONNECTED")
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_walk_map_offline_shows_district_outlines_and_route(phone, session, lang):
    walk_map = join_walk(phone, session, lang)
    with_route(session, walk_map)
    phone.reload()  # the route as the organiser drew it (it comes with the page)
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)

    phone.context.set_offline(True)
    phone.reload()
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(phone.locator("path.walk-route")).to_have_count(1)
    expect(phone.locator(".district-label--walk", has_text="Alt-Homberg")).to_be_visible()
    assert phone.locator("path.walk-outline").count() > 10, "the Ortsteile and Stadtbezirke around the walk"
    events = phone.locator("path.walk-outline").first.evaluate("(path) => getComputedStyle(path).pointerEvents")
    assert events == "none", "placing by tap goes through the outlines"
    label = phone.locator(".district-label--walk", has_text="Alt-Homberg")
    assert label.evaluate("(el) => getComputedStyle(el.closest('.leaflet-pane')).zIndex") == "450", \
        "the names lie under the pins (markers: 600)"
    shift = label.evaluate("""(el) => el.getBoundingClientRect().left
        - el.closest('.leaflet-pane').getBoundingClientRect().left - el._leaflet_pos.x""")
    assert abs(shift) < 1, "the name stands where Leaflet placed it (also right-to-left)"
    phone.screenshot(path=f"/tmp/offline_outlines_{lang}.png")
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()


@pytest.mark.tolerate_console("net::ERR_FAILED", "net::ERR_INTERNET_DISCONNECTED")
def test_walk_info_opens_offline_once_visited_and_leads_back_to_the_map(phone, session):
    walk_map = join_walk(phone, session)
    phone.context.set_offline(True)
    phone.get_by_role("link", name="Infos zur Begehung").click()
    expect(phone.locator("h1")).to_have_text("Ortsbegehung Alt-Homberg")
    phone.set_viewport_size({"width": 360, "height": 640})
    join, status = phone.locator("#join-button"), phone.locator("#sync-status")
    expect(join).to_be_in_viewport(ratio=1)
    expect(status).to_contain_text("Offline")
    button, pill = join.bounding_box(), status.bounding_box()
    assert pill["y"] >= button["y"] + button["height"], "the status line leaves the button free"
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()

    phone.locator("#join-button").click()  # joining needs the network: the stored map opens instead
    phone.wait_for_url(f"**{walk_map}")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


@pytest.mark.tolerate_console("net::ERR_FAILED", "net::ERR_INTERNET_DISCONNECTED", "status of 503")
@pytest.mark.parametrize(("lang", "heading", "direction"), [("de", "Keine Verbindung", "ltr"),
                                                            ("ar", "لا يوجد اتصال", "rtl")])
def test_a_page_never_visited_shows_the_offline_page_in_the_participants_language(
        browser, live_server, request, session, lang, heading, direction):
    from tests.browser.conftest import checked_page

    with checked_page(browser, request, viewport={"width": 360, "height": 640}, device_scale_factor=2,
                      is_mobile=True, has_touch=True, base_url=live_server) as phone:
        walk_id = make_walk(session)
        code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
        phone.goto(f"/w/{code}?lang={lang}")  # the participant picks the language on the join page
        phone.locator("#join-button").click()
        phone.wait_for_url(f"**/w/{code}/map")
        phone.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)

        phone.context.set_offline(True)
        phone.goto(f"/w/{code}/handout")
        expect(phone.locator("h1")).to_have_text(heading)
        expect(phone.locator("html")).to_have_attribute("dir", direction)
        again = phone.locator(".offline-actions a").first
        expect(again).to_be_in_viewport()
        box = again.bounding_box()
        assert box["y"] + box["height"] <= 640
        phone.screenshot(path=f"/tmp/offline_page_{lang}.png")
        found, results = serious_violations(phone)
        assert found == [], results.generate_report()
