"""Following one's findings on a phone: the link made from "Meine Funde", copied, opened in another
browser, taken over there, so that "Meine Funde" lists the findings on the new phone; German and
Arabic, the primary action in the viewport, axe clean, never an internal note."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import checked_page
from tests.browser.phones import PHONES, axe_clean, inside_viewport
from tests.browser.capture import north, post_finding
from tests.follow.helpers import CONCERN_TITLE, INTERNAL_NOTE, OWN_TEXT, PUBLIC_MESSAGE, group_with_updates

pytestmark = pytest.mark.browser

def open_map(page, lang):
    page.goto(f"/?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def shows_public_text_only(page):
    expect(page.locator(".followed__updates").first).to_contain_text(PUBLIC_MESSAGE)
    for internal in (INTERNAL_NOTE, CONCERN_TITLE):
        expect(page.locator("body")).not_to_contain_text(internal)


@pytest.mark.parametrize("lang, viewport", PHONES)
def test_a_participant_follows_and_moves_their_findings_to_another_phone(browser, live_server, request, session,
                                                                         lang, viewport):
    options = {"viewport": viewport, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
               "base_url": live_server}
    with checked_page(browser, request, permissions=["clipboard-read", "clipboard-write"], **options) as first:
        open_map(first, lang)
        grouped = post_finding(first, description=OWN_TEXT)
        post_finding(first, category="litter", lat=north(300))
        group_with_updates(session, grouped)
        first.locator("#mine-button").click()
        expect(first.locator("#mine-panel .mine-item")).to_have_count(2)
        inside_viewport(first, first.locator("#mine-follow-link"))
        first.locator("#mine-follow-link").click()

        first.wait_for_url("**/me/follow-link")
        inside_viewport(first, first.locator("#make-link"))
        axe_clean(first)
        first.locator("#make-link").click()
        first.wait_for_url("**/f/*")
        url = first.locator("#follow-url").input_value()
        assert url == first.url
        inside_viewport(first, first.locator("#follow-url"))
        inside_viewport(first, first.locator("#follow-copy"))
        first.locator("#follow-copy").click()
        expect(first.locator("#follow-link-status")).not_to_be_empty()
        if lang == "de":
            expect(first.locator("#follow-link-status")).to_have_text("Link kopiert.")
            assert first.evaluate("navigator.clipboard.readText()") == url
        shows_public_text_only(first)
        expect(first.locator(".followed")).to_have_count(2)
        assert first.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        first.screenshot(path=f"/tmp/follow_owner_{lang}.png", full_page=True)
        axe_clean(first)

    with checked_page(browser, request, **options) as second:
        second.goto(f"{url}?lang={lang}")
        take_over = second.locator("#take-over")
        inside_viewport(second, take_over)
        shows_public_text_only(second)
        expect(second.locator(f".followed[data-finding-id='{grouped}']")).to_contain_text(OWN_TEXT)
        second.screenshot(path=f"/tmp/follow_other_{lang}.png", full_page=True)
        axe_clean(second)
        take_over.click()
        expect(second.locator("#follow-url")).to_have_value(url)

        open_map(second, lang)
        second.locator("#mine-button").click()
        items = second.locator("#mine-panel .mine-item")
        expect(items).to_have_count(2)
        expect(second.locator(f"#mine-panel .mine-item[data-finding-id='{grouped}']")).to_have_count(1)


@pytest.mark.tolerate_console("404")
def test_an_unknown_link_is_a_page_saying_so(phone):
    response = phone.goto("/f/" + "Z" * 43)
    assert response.status == 404 and response.headers["referrer-policy"] == "no-referrer"
    expect(phone.get_by_role("heading", level=1)).to_have_text("Link nicht gefunden")
