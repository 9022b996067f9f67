"""The results page in real Chromium on phones, in German and Arabic: title and map in view, pins
on the map, axe clean, nothing from other sites, no cookies; the widget framed only where allowed."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.auth.helpers import database
from tests.browser.phones import inside_viewport, serious_violations
from tests.results.conftest import checked_page
from tests.results.helpers import walk_with_results

pytestmark = pytest.mark.browser

PHONES = {"360x640": {"width": 360, "height": 640}, "412x839": {"width": 412, "height": 839}}


@pytest.fixture
def results(app):
    with database(app) as session:
        return walk_with_results(session)


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("size", PHONES)
def test_results_page_on_a_phone(browser, live_server, request, results, lang, size):
    viewport = PHONES[size]
    with checked_page(browser, request, viewport=viewport, device_scale_factor=2, is_mobile=True, has_touch=True,
                      base_url=live_server) as page:
        page.goto(f"/w/{results.join_code}/results?lang={lang}")
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        # The pins: three findings, grouped or not, all on the map.
        expect(page.locator("#results-map .finding-marker, #results-map .finding-cluster").first).to_be_visible()
        assert page.evaluate("document.body.dataset.findingsLoaded") == "3"
        for selector in (".results__title", "#results-map"):
            inside_viewport(page, page.locator(selector))
        found, report = serious_violations(page)
        assert found == [], report.generate_report()
        origin = urlsplit(live_server)
        foreign = [url for url in page.requests
                   if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != origin.netloc]
        assert foreign == []
        assert page.context.cookies() == []


class FramingPage(BaseHTTPRequestHandler):
    """Another site (another loopback port) that frames the widget."""

    widget_url = ""

    def do_GET(self):  # noqa: N802  (http.server's name)
        body = (f'<!doctype html><html lang="de"><title>Plattform</title>'
                f'<iframe id="widget" title="Ergebnisse" src="{self.widget_url}" width="400" height="400"></iframe>'
                f"</html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site(live_server, results):
    handler = type("Handler", (FramingPage,), {"widget_url": f"{live_server}/w/{results.join_code}/results/embed"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def widget_shown(browser, site: str) -> bool:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site)
        page.wait_for_load_state("load")
        frame = page.frame_locator("#widget")
        try:
            expect(frame.locator("h1")).to_be_visible(timeout=5000)
            return True
        except AssertionError:
            return False
    finally:
        context.close()


def test_widget_framed_only_by_configured_origins(app, browser, other_site, monkeypatch):
    monkeypatch.setitem(app.config, "EMBED_ORIGINS", "")
    assert not widget_shown(browser, other_site)
    monkeypatch.setitem(app.config, "EMBED_ORIGINS", "https://plattform.example")
    assert not widget_shown(browser, other_site)
    monkeypatch.setitem(app.config, "EMBED_ORIGINS", f"https://plattform.example {other_site}")
    assert widget_shown(browser, other_site)


def test_a_third_partys_tiles_only_after_consent(app, browser, live_server, request, results, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    with checked_page(browser, request, viewport=PHONES["360x640"], base_url=live_server) as page:
        page.goto(f"/w/{results.join_code}/results")
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
        consent = page.locator("#tiles-consent")
        expect(consent).to_be_visible()
        expect(consent).to_contain_text("tiles.example.org")
        assert [url for url in page.requests if "tiles.example.org" in url] == []


def test_team_features_a_photo_from_the_concern_page(app, browser, live_server, request, results, csrf_enabled,
                                                     photo_storage):
    from sqlalchemy import text

    from mapapp.photos.storage import photo_key
    from tests.auth.helpers import PASSWORD, make_account
    from tests.photos.images import jpeg, picture

    for kind in ("thumb", "web"):
        photo_storage.put(photo_key("c" * 64, kind), jpeg(picture()))

    make_account(app, "feature-orga")
    with database(app) as session:
        photo_id = session.execute(text("""
            INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, moderation)
            VALUES (gen_random_uuid(), :finding, :sha, :sha, 800, 600, 'approved') RETURNING id
        """), {"finding": results.findings[0], "sha": "c" * 64}).scalar()
        session.commit()
    with checked_page(browser, request, viewport={"width": 1280, "height": 900}, base_url=live_server) as page:
        page.goto(f"/review/concerns/{results.shop_concern}")
        page.locator("#username").fill("feature-orga")
        page.locator("#password").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        toggle = page.locator("button.photo-feature")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        expect(page.locator("#photo-feature")).to_have_attribute("data-ready", "1", timeout=15000)
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#photo-feature")).to_contain_text("Ergebnisseite")
    with database(app) as session:
        assert session.execute(text("SELECT featured FROM photos WHERE id = :id"), {"id": photo_id}).scalar()


def test_ortsteil_names_show_only_where_they_do_not_cover_each_other(browser, live_server, request, results):
    """The results map spans Homberg and Rheinhausen: zoomed out that far, the names are left out."""
    with checked_page(browser, request, viewport=PHONES["360x640"], base_url=live_server) as page:
        page.goto(f"/w/{results.join_code}/results")
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
        names = page.locator("#results-map .district-label--walk", has_text="Alt-Homberg")
        expect(names).to_have_count(1)
        expect(names).to_be_hidden()
        for _ in range(3):
            if names.is_visible():
                break
            page.locator("#results-map .leaflet-control-zoom-in").click()
            page.wait_for_timeout(400)
        expect(names).to_be_visible()
