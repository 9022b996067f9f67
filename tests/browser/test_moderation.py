"""The moderation queue on a phone, in German and Arabic: approve and hide by keyboard, edit the
public text, axe clean, the first item and its actions inside the viewport."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.photos import service as photo_service
from tests.browser.phones import PHONES, axe_clean, inside_viewport, moderation_queue
from tests.factories import make_finding, make_user
from tests.photos.images import jpeg, picture

pytestmark = pytest.mark.browser

@pytest.fixture
def queue_items(app, session, photo_storage, monkeypatch):
    """Under pre-moderation: an old text, a photo, a newer text; returns their finding ids."""
    monkeypatch.setitem(app.config, "MODERATION", "pre")
    make_user(session, "orga", display_name="Orga Nisatorin")
    first = make_finding(session, description="Erster Text: Laden leer")
    session.execute(text("UPDATE findings SET created_at = now() - interval '2 hours' WHERE id = :id"), {"id": first})
    session.commit()
    photo, _ = photo_service.add_photo(session, photo_storage, first, jpeg(picture(colour=(10, 200, 30))), "a.jpg")
    session.execute(text("UPDATE photos SET created_at = now() - interval '1 hour' WHERE id = :id"),
                    {"id": photo["id"]})
    session.commit()
    last = make_finding(session, description="Dritter Text: Müll")
    return {"first": first, "photo": photo["id"], "last": last}


def states(session, items):
    session.rollback()
    return session.execute(text("""
        SELECT (SELECT text_moderation FROM findings WHERE id = :first),
               (SELECT moderation FROM photos WHERE id = :photo),
               (SELECT text_moderation FROM findings WHERE id = :last),
               (SELECT public_description FROM findings WHERE id = :last)"""), items).one()


@pytest.mark.parametrize("lang, viewport", PHONES)
def test_the_queue_and_its_first_item_are_on_a_phones_first_screen(browser, live_server, request, session,
                                                                     queue_items, lang, viewport):
    """An organiser's ten sections are one row that scrolls sideways, started at the page shown,
    not a column of links filling the screen above the queue."""
    with moderation_queue(browser, request, live_server, lang, viewport) as page:
        expect(page.locator(".moderation-item")).to_have_count(3)
        nav = page.locator(".page-header__nav a")
        assert nav.count() == 10
        assert len({round(box["y"]) for box in (nav.nth(i).bounding_box() for i in range(10))}) == 1, "one row"
        inside_viewport(page, page.locator('.page-header__nav a[aria-current="page"]'))
        inside_viewport(page, page.locator("h1"))
        inside_viewport(page, page.locator(".moderation-item").first.locator('[data-action="approve"]'))
        assert page.locator(".page-header").bounding_box()["height"] <= viewport["height"] / 3


@pytest.mark.parametrize("lang, viewport", PHONES)
def test_keyboard_approve_hide_and_edit_on_a_phone(browser, live_server, request, session, csrf_enabled,
                                                   queue_items, lang, viewport):
    with moderation_queue(browser, request, live_server, lang, viewport) as page:
        items = page.locator(".moderation-item")
        expect(items).to_have_count(3)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        expect(page.locator("#moderation-keys kbd")).to_have_count(5)
        expect(page.locator('[data-role="moderation-count"]')).to_have_text("3")
        axe_clean(page)

        page.locator("h1").click()
        page.keyboard.press("j")
        expect(items.first).to_be_focused()
        inside_viewport(page, items.first.locator('[data-action="approve"]'))
        page.keyboard.press("a")
        expect(items).to_have_count(2)
        expect(page.locator('[data-role="moderation-count"]')).to_have_text("2")
        expect(items.first).to_be_focused()  # the photo, next in line
        expect(items.first).to_have_attribute("data-kind", "photo")
        page.keyboard.press("h")
        expect(items).to_have_count(1)
        expect(page.locator("#moderation-status")).not_to_be_empty()

        page.keyboard.press("e")
        editor = items.first.locator("textarea")
        expect(editor).to_be_focused()
        editor.fill("Müll am Bismarckplatz")
        items.first.locator("button[type=submit]").click()
        expect(items).to_have_count(0)
        expect(page.locator(".moderation__empty")).to_be_visible()
        assert tuple(states(session, queue_items)) == ("approved", "hidden", "approved", "Müll am Bismarckplatz")
        axe_clean(page)
