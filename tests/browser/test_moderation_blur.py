"""Blurring a missed area right in the moderation queue, on a phone in German and Arabic: the
item says what was blurred automatically, the dialog opens from the item, a box placed by keyboard
is blurred, the queue's single-key shortcuts stay quiet while the dialog is open, the thumbnail
shows the new copy, then "a" approves; axe clean with the dialog open and closed."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.photos import service as photo_service
from tests.browser.phones import PHONES, axe_clean, inside_viewport, moderation_queue
from tests.factories import make_finding, make_user
from tests.photos.faces import astronaut_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
def pending_photo(app, session, photo_storage, monkeypatch):
    """Under pre-moderation: one finding without text and the astronaut as its photo (face blurred)."""
    monkeypatch.setitem(app.config, "MODERATION", "pre")
    make_user(session, "orga", display_name="Orga Nisatorin")
    finding = make_finding(session)
    session.commit()
    photo, _ = photo_service.add_photo(session, photo_storage, finding, astronaut_jpeg(), "astronaut.jpg")
    return photo["id"]


def photo_row(session, photo_id):
    session.rollback()
    return session.execute(text("""SELECT moderation, stored_sha256, jsonb_array_length(blur_regions) AS regions
                                   FROM photos WHERE id = :id"""), {"id": photo_id}).one()


def trail_actions(session):
    session.rollback()
    return session.execute(text("SELECT action FROM moderation_events ORDER BY id")).scalars().all()


@pytest.mark.parametrize("lang, viewport", PHONES)
def test_blur_from_the_queue_by_keyboard_then_approve(browser, live_server, request, session, csrf_enabled,
                                                      pending_photo, lang, viewport):
    with moderation_queue(browser, request, live_server, lang, viewport) as page:
        item = page.locator(".moderation-item")
        expect(item).to_have_count(1)
        if lang == "de":
            expect(item.locator('[data-role="auto-blurred"]')).to_have_text(
                "1 Bereich automatisch unkenntlich gemacht (1 Gesicht)")
        else:
            expect(item.locator('[data-role="auto-blurred"]')).to_contain_text("1")
        expect(page.locator("#photo-blur")).to_have_attribute("data-ready", "1")
        opener = item.locator(".photo-blur-open")
        axe_clean(page)

        page.locator("h1").click()
        page.keyboard.press("j")
        expect(item).to_be_focused()
        inside_viewport(page, opener)
        inside_viewport(page, item.locator('[data-action="approve"]'))
        opener.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("#photo-blur")
        expect(dialog).to_be_visible()
        expect(dialog.locator("#photo-blur-regions li")).to_have_count(1)  # the face found at upload
        for key in ("h", "a", "j", "e"):  # the queue's keys do nothing while the dialog is open
            page.keyboard.press(key)
        new_area = dialog.locator("#photo-blur-new")
        inside_viewport(page, new_area)
        new_area.focus()
        page.keyboard.press("Enter")
        draft = dialog.locator("#photo-blur-draft")
        expect(draft).to_be_focused()
        for key in ["ArrowDown"] * 20 + ["Shift+ArrowRight"] * 5 + ["h", "a"]:
            page.keyboard.press(key)
        page.keyboard.press("Enter")
        expect(dialog.locator("#photo-blur-regions li")).to_have_count(2)
        expect(dialog.locator("#photo-blur-message")).not_to_be_empty()
        axe_clean(page)
        state = photo_row(session, pending_photo)
        assert (state.moderation, state.regions) == ("pending", 2)  # blurred, neither hidden nor approved
        assert trail_actions(session) == ["blur"]

        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(item).to_have_count(1)
        expect(item.locator("img")).to_have_attribute("src", f"/photos/{state.stored_sha256}/thumb.jpg")
        expect(opener).to_be_focused()
        page.keyboard.press("a")
        expect(item).to_have_count(0)
        assert photo_row(session, pending_photo).moderation == "approved"
        assert trail_actions(session) == ["blur", "photo_approved"]
        axe_clean(page)
