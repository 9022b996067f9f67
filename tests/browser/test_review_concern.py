"""A reviewer follows a concern: drags its place, takes a finding out, changes the status, and is
told (not overwritten) when someone else changed the concern meanwhile."""
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.review.concerns import trail, workflow as concerns
from tests.auth.helpers import PASSWORD
from tests.factories import BISMARCKPLATZ, make_finding, make_user

pytestmark = [pytest.mark.browser, pytest.mark.tolerate_console('status of 412')]


def stored(session, concern_id):
    session.rollback()
    return session.execute(text("""
        SELECT status, version, title, ST_Y(geom) AS lat, ST_X(geom) AS lon,
               (SELECT count(*) FROM findings WHERE concern_id = c.id) AS findings
        FROM concerns c WHERE id = :id"""), {"id": concern_id}).mappings().one()


def test_reviewer_moves_changes_status_and_is_told_about_a_stale_page(desktop, session, csrf_enabled):
    orga = make_user(session, "orga", display_name="Orga Nisatorin")
    other = make_user(session, "otto")
    first = make_finding(session, category="cycle_path", description="Schlagloch")
    second = make_finding(session, category="cycle_path", lat=BISMARCKPLATZ[0] + 0.001, description="Wurzeln")
    concern = concerns.create_concern(session, title="Radweg Bismarckstraße", summary=None, category="cycle_path",
                                      finding_ids=[first, second], user_id=orga.id)
    cid = uuid.UUID(concern["id"])

    desktop.goto(f"/review/concerns/{cid}")
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()
    expect(desktop.get_by_role("heading", name="Radweg Bismarckstraße")).to_be_visible()
    expect(desktop.locator("body")).to_have_attribute("data-concern-version", "1")

    box = desktop.locator(".concern-marker").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    desktop.mouse.move(x, y)
    desktop.mouse.down()
    desktop.mouse.move(x + 40, y + 30, steps=5)
    desktop.mouse.move(x + 80, y + 60, steps=5)
    desktop.mouse.up()
    expect(desktop.locator("#concern-message")).to_have_text("Neuer Ort gespeichert.")
    expect(desktop.locator("body")).to_have_attribute("data-concern-version", "2")
    assert stored(session, cid)["lat"] < concern["location"]["lat"]

    removal = desktop.locator(f'.concern-finding__move[data-finding-id="{second}"]')
    removal.get_by_role("button", name="Verschieben").click()
    expect(desktop.locator("#concern-message")).to_have_text("Fund aus dem Anliegen genommen.")
    expect(desktop.locator("#concern-findings-count")).to_have_text("1")
    expect(desktop.locator("body")).to_have_attribute("data-concern-version", "3")

    desktop.locator("#status-select").select_option("in_review")
    desktop.locator("#status-note").fill("Ortstermin am Montag")
    desktop.get_by_role("button", name="Status speichern").click()
    expect(desktop.locator("#concern-message")).to_have_text("Status gespeichert.")
    expect(desktop.locator("#concern-status")).to_have_text("In Prüfung")
    expect(desktop.locator("#concern-history li").first).to_contain_text("Status geändert: Neu → In Prüfung")
    expect(desktop.locator("#concern-history li").first).to_contain_text("Ortstermin am Montag")
    expect(desktop.locator("#status-select option")).to_have_count(3)
    desktop.locator("#status-select").select_option("duplicate")
    expect(desktop.locator("#duplicate-field")).to_be_visible()

    concerns.update_concern(session, cid, title="Radweg Moerser Straße", user_id=other.id, expected_version=4)
    desktop.locator("#status-select").select_option("confirmed")
    desktop.get_by_role("button", name="Status speichern").click()
    expect(desktop.locator("#concern-error")).to_have_text(
        "Jemand anderes hat das Anliegen inzwischen geändert – bitte neu laden.")
    now = stored(session, cid)
    assert (now["status"], now["title"], now["version"], now["findings"]) == (
        "in_review", "Radweg Moerser Straße", 5, 1)


def test_reviewer_publishes_a_message_and_sees_a_participants_change_on_the_trail(desktop, session, csrf_enabled):
    orga = make_user(session, "orga", display_name="Orga Nisatorin")
    finding = make_finding(session, category="cycle_path", description="Schlagloch")
    concern = concerns.create_concern(session, title="Radweg Bismarckstraße", summary=None, category="cycle_path",
                                      finding_ids=[finding], user_id=orga.id)
    cid = uuid.UUID(concern["id"])
    trail.note_participant_edit(session, finding, cid, ["place", "description"], "cycle_path")
    session.commit()

    desktop.goto(f"/review/concerns/{cid}")
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()
    expect(desktop.locator("#concern-history li").first).to_contain_text(
        f"Meldende Person Fund von der meldenden Person geändert ({str(finding)[:8]}): Ort, Beschreibung")
    expect(desktop.locator("body")).to_have_attribute("data-concern-version", "2")  # the script is running

    desktop.get_by_label("Mitteilung an die Öffentlichkeit").fill("Die Stadt bessert im Mai aus.")
    desktop.get_by_role("button", name="Mitteilung speichern").click()
    expect(desktop.locator("#concern-message")).to_have_text("Öffentliche Mitteilung gespeichert.")
    expect(desktop.locator("#public-message-at")).to_contain_text("Veröffentlicht:")
    expect(desktop.locator("#concern-history li").first).to_contain_text("Öffentliche Mitteilung geändert")
    expect(desktop.locator("#concern-history li").first).to_contain_text("Die Stadt bessert im Mai aus.")
    expect(desktop.locator("body")).to_have_attribute("data-concern-version", "3")
    stored_message = session.execute(text("SELECT public_message FROM concerns WHERE id = :id"), {"id": cid}).scalar()
    assert stored_message == "Die Stadt bessert im Mai aus."
