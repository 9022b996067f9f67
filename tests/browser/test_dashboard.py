"""An organiser opens the dashboard: the table, the framed choropleth, nothing fetched from elsewhere."""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.auth.helpers import PASSWORD, make_organiser
from tests.factories import HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding, make_walk

pytestmark = pytest.mark.browser

# Runs in every frame before its own scripts (Playwright's init scripts are not subject to CSP).


def test_organiser_sees_table_and_district_map_served_only_from_here(desktop, session, csrf_enabled):
    make_organiser(session)
    walk = make_walk(session)
    for _ in range(3):
        make_finding(session, walk_id=walk)
    make_finding(session, *RHEINHAUSEN_MARKT, category="noise")
    make_finding(session, *HAUPTBAHNHOF)
    session.commit()

    desktop.goto("/review/dashboard")
    expect(desktop).to_have_url(re.compile(r"/login\?next="))
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()

    expect(desktop.get_by_role("heading", name="Übersicht nach Bezirken")).to_be_visible()
    table = desktop.locator("#dashboard-table")
    expect(table.locator("tbody tr")).to_have_count(7)
    expect(table.locator('tfoot [data-total="findings"]')).to_have_text("5")
    expect(table.locator('tr[data-district="4"] [data-total="findings"]')).to_have_text("3")

    frame = desktop.frame_locator("iframe.dashboard-map")
    expect(frame.locator("path.leaflet-interactive")).to_have_count(7, timeout=15000)
    expect(frame.locator(".map-legend")).to_contain_text("Funde je km²")
    expect(desktop.locator("svg.bar-chart rect")).to_have_count(1)

    desktop.get_by_label("Zeilen").select_option("ortsteil")
    desktop.get_by_role("button", name="Anzeigen").click()
    expect(desktop).to_have_url(re.compile(r"level=ortsteil"))
    expect(table.locator("tbody tr.dashboard-table__row--ortsteil")).to_have_count(46)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(46, timeout=15000)

    for frame_ in desktop.frames:
        assert frame_.evaluate("window.__cspViolations") == [], frame_.url
    hosts = {urlsplit(url).hostname for url in desktop.requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, desktop.requests
