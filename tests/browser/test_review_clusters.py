"""A team reviews clusters: filters, sorts, opens a cluster and turns it into a concern."""
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, USER_PASSWORD, make_finding, make_user
from tests.review.clusters.test_clustering import authored, confirm, participant, ring

pytestmark = [pytest.mark.browser, pytest.mark.tolerate_console('status of 422')]


@pytest.fixture
def findings(session):
    """Four noise pins (nobody known) and two cycle-path pins by two people plus a third's +1."""
    noise = ring(session, BISMARCKPLATZ, n=4, radius_m=8, category="noise")
    session.execute(text("UPDATE findings SET description = :d WHERE id = :id"),
                    {"d": "<img src=x onerror=alert(1)>Laut", "id": noise[0]})
    cycle = ring(session, RHEINHAUSEN_MARKT, n=2, radius_m=5, category="cycle_path")
    a, b, c = participant(session), participant(session), participant(session)
    authored(session, cycle[0], a)
    authored(session, cycle[1], b)
    confirm(session, cycle[0], c)
    make_finding(session, *RHEINHAUSEN_MARKT, category="litter")
    session.commit()
    return noise, cycle


def sign_in(page, next_url="/review/"):
    page.goto(next_url)
    page.locator("#username").fill("orga")
    page.locator("#password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def list_labels(page):
    return page.locator("#cluster-list .cluster-list__label").all_text_contents()


def test_a_cluster_becomes_a_concern(desktop, session, findings, csrf_enabled):
    noise, _cycle = findings
    make_user(session, "orga")
    sign_in(desktop)
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "2", timeout=15000)
    expect(desktop.locator("#cluster-list .cluster-list__button")).to_have_count(2)
    assert list_labels(desktop) == ["Lärm", "Radweg kaputt oder unsicher"]
    expect(desktop.locator("#review-map path.review-cluster")).to_have_count(2)
    expect(desktop.locator("#review-map path.review-finding")).to_have_count(1)

    desktop.get_by_label("Anzahl Personen").check()
    assert list_labels(desktop) == ["Radweg kaputt oder unsicher", "Lärm"]

    desktop.locator("#cluster-list .cluster-list__button", has_text="Lärm").click()
    panel = desktop.locator("#cluster-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".panel-finding")).to_have_count(4)
    expect(panel.get_by_text("<img src=x onerror=alert(1)>Laut")).to_be_visible()
    expect(desktop.locator("#panel-meta")).to_contain_text("Funde: 4")

    desktop.get_by_role("button", name="Als Anliegen übernehmen").click()
    expect(desktop.locator("#adopt-title")).to_have_value("Lärm in Alt-Homberg")
    desktop.locator("#adopt-summary").fill("Vier Meldungen zu Lärm am Bismarckplatz.")
    desktop.get_by_role("button", name="Anliegen anlegen").click()
    expect(desktop).to_have_url(re.compile(r"/review/concerns/[0-9a-f-]{36}$"), timeout=15000)

    session.rollback()
    concern_id = uuid.UUID(desktop.url.rsplit("/", 1)[1])
    grouped = session.execute(text("SELECT id FROM findings WHERE concern_id = :c"), {"c": concern_id}).scalars()
    assert sorted(grouped) == sorted(noise)


def test_a_single_finding_is_loaded_when_opened(desktop, session, findings, csrf_enabled):
    """The cluster answer carries a single finding's key and category only: the panel asks for the rest."""
    make_user(session, "orga")
    sign_in(desktop)
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "2", timeout=15000)
    desktop.locator("#review-map path.review-finding").click()
    panel = desktop.locator("#cluster-panel")
    expect(panel.locator(".panel-finding")).to_have_count(1)
    expect(desktop.locator("#panel-title")).to_contain_text("Müll")
    expect(desktop.locator("#panel-meta")).to_contain_text("Einzelner Fund")
    expect(desktop.locator("#panel-meta")).to_contain_text("Rheinhausen")
    desktop.get_by_role("button", name="Als Anliegen übernehmen").click()
    expect(desktop.locator("#adopt-title")).to_have_value(re.compile(r"Rheinhausen"))
    desktop.get_by_role("button", name="Anliegen anlegen").click()
    expect(desktop).to_have_url(re.compile(r"/review/concerns/[0-9a-f-]{36}$"), timeout=15000)
    session.rollback()
    concern_id = uuid.UUID(desktop.url.rsplit("/", 1)[1])
    grouped = session.execute(text("SELECT category_slug FROM findings WHERE concern_id = :c"), {"c": concern_id})
    assert grouped.scalars().all() == ["litter"]


def test_filters_reload_and_bad_values_are_named(desktop, session, findings, csrf_enabled):
    make_user(session, "orga")
    sign_in(desktop)
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "2", timeout=15000)

    desktop.locator("#filter-min").fill("3")
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "1")
    assert list_labels(desktop) == ["Lärm"]
    expect(desktop).to_have_url(re.compile(r"min=3"))

    desktop.locator("#filter-eps").fill("0")
    expect(desktop.locator("#filter-error")).to_be_visible()
    expect(desktop.locator("#filter-eps")).to_have_attribute("aria-invalid", "true")

    desktop.get_by_role("button", name="Zurücksetzen").click()
    expect(desktop.locator("#filter-error")).to_be_hidden()
    expect(desktop.locator("#cluster-list .cluster-list__button")).to_have_count(2)

    desktop.locator("#filter-district").select_option(label="Rheinhausen (ganzer Stadtbezirk)")
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "1")
    assert list_labels(desktop) == ["Radweg kaputt oder unsicher"]


def test_no_serious_accessibility_violations(desktop, session, findings, csrf_enabled):
    from tests.browser.phones import serious_violations

    make_user(session, "orga")
    sign_in(desktop)
    expect(desktop.locator("body")).to_have_attribute("data-clusters", "2", timeout=15000)
    found, results = serious_violations(desktop)
    assert found == [], results.generate_report()
    desktop.locator("#cluster-list .cluster-list__button").first.click()
    expect(desktop.locator("#cluster-panel .panel-finding").first).to_be_visible()
    desktop.get_by_role("button", name="Als Anliegen übernehmen").click()
    found, results = serious_violations(desktop)
    assert found == [], results.generate_report()
