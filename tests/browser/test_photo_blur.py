"""A reviewer corrects a photo's blurring on the concern page: the face found at upload is listed,
a box placed with the keyboard and one drawn with the mouse are blurred, the page shows the new
copy, and the dialog says that without kept originals nothing can be unblurred."""
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.photos import service
from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import PASSWORD
from tests.browser.phones import serious_violations
from tests.factories import make_finding, make_user
from tests.photos.faces import astronaut_jpeg

pytestmark = pytest.mark.browser


def regions(session, photo_id):
    session.rollback()
    return session.execute(text("SELECT blur_regions FROM photos WHERE id = :id"), {"id": photo_id}).scalar()


def test_reviewer_blurs_areas_with_keyboard_and_mouse(desktop, session, photo_storage, csrf_enabled):
    orga = make_user(session, "orga", display_name="Orga Nisatorin")
    finding = make_finding(session, description="Leerstand")
    session.commit()
    photo, _ = service.add_photo(session, photo_storage, finding, astronaut_jpeg(), "astronaut.jpg")
    concern = concerns.create_concern(session, title="Leerstand am Markt", summary=None, category="empty_shop",
                                      finding_ids=[finding], user_id=orga.id)

    desktop.goto(f"/review/concerns/{uuid.UUID(concern['id'])}")
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()
    expect(desktop.locator("#photo-blur")).to_have_attribute("data-ready", "1")
    desktop.get_by_role("button", name="Unkenntlich machen …").click()
    dialog = desktop.get_by_role("dialog", name="Gesichter und Kennzeichen unkenntlich machen")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#photo-blur-regions li")).to_have_text(["Gesicht (automatisch erkannt)"])
    expect(dialog.locator("#photo-blur-lost")).to_be_visible()
    expect(dialog.get_by_role("button", name="Wieder sichtbar machen")).to_have_count(0)
    found, _ = serious_violations(desktop)
    assert found == []

    dialog.get_by_role("button", name="Neuer Bereich").press("Enter")
    draft = dialog.locator("#photo-blur-draft")
    expect(draft).to_be_focused()
    for key in ["ArrowUp"] * 30 + ["ArrowLeft"] * 30 + ["Shift+ArrowRight"] * 5:
        draft.press(key)
    draft.press("Enter")
    expect(dialog.locator("#photo-blur-message")).to_have_text(
        "Der Bereich ist jetzt in allen Kopien des Fotos unkenntlich.")
    expect(dialog.locator("#photo-blur-regions li")).to_have_count(2)
    manual = regions(session, photo["id"])[1]
    assert (manual["source"], manual["kind"]) == ("manual", "face")
    assert manual["x"] == pytest.approx(0.1, abs=0.011) and manual["w"] == pytest.approx(0.25, abs=0.011)

    dialog.locator("#photo-blur-kind").select_option("plate")
    box = dialog.locator("#photo-blur-image").bounding_box()
    desktop.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.7)
    desktop.mouse.down()
    desktop.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.8, steps=5)
    desktop.mouse.up()
    dialog.get_by_role("button", name="Bereich unkenntlich machen").click()
    expect(dialog.locator("#photo-blur-regions li")).to_have_count(3)
    drawn = regions(session, photo["id"])[2]
    assert drawn["kind"] == "plate" and drawn["x"] == pytest.approx(0.6, abs=0.02)

    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()
    session.rollback()
    stored = session.execute(text("SELECT stored_sha256 FROM photos WHERE id = :id"), {"id": photo["id"]}).scalar()
    expect(desktop.locator(".concern-finding__photos img")).to_have_attribute("src", f"/photos/{stored}/thumb.jpg")
    assert session.execute(text("SELECT count(*) FROM moderation_events WHERE action = 'blur'")).scalar() == 2
