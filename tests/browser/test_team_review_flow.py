"""A team member goes from a walk's raw pins to a confirmed concern and sees the dashboard change."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, USER_PASSWORD, make_finding, make_team, make_user, make_walk
from tests.review.clusters.test_clustering import ring

pytestmark = pytest.mark.browser


@pytest.fixture
def walk_with_pins(session):
    """Eight empty-shop pins around one place, two far away, and noise the team does not own."""
    walk = make_walk(session, title="Einzelhandel in Alt-Homberg")
    eight = ring(session, BISMARCKPLATZ, n=8, radius_m=10, category="empty_shop", walk_id=walk)
    ring(session, (BISMARCKPLATZ[0] + 0.004, BISMARCKPLATZ[1]), n=2, radius_m=5, category="empty_shop", walk_id=walk)
    make_finding(session, *BISMARCKPLATZ, category="noise", walk_id=walk)
    member = make_user(session, "handel", role="team_member")
    make_team(session, "Team Einzelhandel", categories=("empty_shop",), members=(member.id,))
    return walk, eight


def confirmed_in_homberg(page, walk):
    page.goto(f"/review/dashboard?walk={walk}")
    return page.locator('#dashboard-table tr[data-district="4"] td[data-status="confirmed"]').inner_text()


def test_team_member_turns_the_largest_cluster_into_a_confirmed_concern(desktop, session, walk_with_pins,
                                                                      csrf_enabled):
    walk, eight = walk_with_pins
    desktop.goto(f"/review/?walk={walk}")
    desktop.locator("#username").fill("handel")
    desktop.locator("#password").fill(USER_PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()

    expect(desktop.locator("body")).to_have_attribute("data-clusters", "2", timeout=15000)
    assert "Lärm" not in desktop.locator("#cluster-list").inner_text(), "noise belongs to no team of hers"
    largest = desktop.locator("#cluster-list .cluster-list__button").first
    largest.click()
    expect(desktop.locator("#cluster-panel .panel-finding")).to_have_count(8)
    desktop.get_by_role("button", name="Als Anliegen übernehmen").click()
    desktop.get_by_role("button", name="Anliegen anlegen").click()
    expect(desktop).to_have_url(re.compile(r"/review/concerns/[0-9a-f-]{36}$"), timeout=15000)
    concern_page = desktop.url

    assert confirmed_in_homberg(desktop, walk) == "0"
    desktop.goto(concern_page)
    for status, label in (("in_review", "In Prüfung"), ("confirmed", "Bestätigt")):
        desktop.locator("#status-select").select_option(status)
        desktop.get_by_role("button", name="Status speichern").click()
        expect(desktop.locator("#concern-status")).to_have_text(label)
    assert confirmed_in_homberg(desktop, walk) == "1"

    session.rollback()
    grouped = session.execute(text("""
        SELECT count(*) FROM findings f JOIN concerns c ON c.id = f.concern_id
        WHERE c.status = 'confirmed'""")).scalar()
    assert grouped == len(eight)
    history = session.execute(text("SELECT count(*) FROM concern_events WHERE action = 'status_changed'")).scalar()
    assert history == 2
