"""axe-core finds no serious or critical violation on the walk pages a participant uses."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.phones import serious_violations
from tests.factories import make_walk

pytestmark = pytest.mark.browser


@pytest.fixture
def join_code(session):
    walk = make_walk(session, title="Afrika-Siedlung: Angebote für Kinder", description="Durch die Afrika-Siedlung.",
                     meeting_point_name="Spielplatz in der Afrika-Siedlung")
    return session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_join_page(phone, join_code, lang):
    phone.goto(f"/w/{join_code}?lang={lang}")
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()


@pytest.mark.parametrize("lang", ["de", "tr", "ar"])
def test_walk_map_with_the_capture_form_open(phone, join_code, lang):
    phone.goto(f"/w/{join_code}/map?lang={lang}")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    phone.locator("#pin-button").click()
    phone.locator("#locate-button").click()
    expect(phone.locator("#accuracy-text")).to_contain_text("12")
    phone.locator("#next-button").click()
    phone.locator("input[name=category][value=empty_shop]").check()
    phone.locator("#next-button").click()
    expect(phone.locator("fieldset.question[data-code=ground_floor]")).to_be_visible()
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_handout(phone, join_code, lang):
    phone.goto(f"/w/{join_code}/handout?lang={lang}")
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()


@pytest.mark.parametrize("path", ["/", "walk map"])
def test_every_map_control_is_a_target_of_at_least_24_px(phone, join_code, path):
    """WCAG 2.2's minimum target size (2.5.8) for everything tappable over the map: zoom, layers and
    the attribution's links (a 14 px "Leaflet" link failed Lighthouse on the front page)."""
    phone.goto("/" if path == "/" else f"/w/{join_code}/map")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    targets = phone.locator(".leaflet-control-container :is(a, button):visible")
    assert targets.count() >= 3
    small = [(targets.nth(i).inner_text() or targets.nth(i).get_attribute("title"), box)
             for i in range(targets.count())
             if (box := targets.nth(i).bounding_box())["width"] < 24 or box["height"] < 24]
    assert small == []
