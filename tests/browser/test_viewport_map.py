"""The home map loads its view from /api/viewport: count bubbles zoomed out, pins zoomed in."""
import pytest
from playwright.sync_api import expect

from tests.factories import BISMARCKPLATZ, make_finding

pytestmark = pytest.mark.browser


def test_bubble_with_the_count_then_pins_after_zooming_in(phone, session):
    for offset, category in ((0, "empty_shop"), (0.0004, "noise"), (0.0008, "litter")):
        make_finding(session, BISMARCKPLATZ[0] + offset, BISMARCKPLATZ[1], category=category)
    phone.goto("/")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(phone.locator("body")).to_have_attribute("data-view-mode", "cells")
    bubble = phone.locator(".cell-marker[data-count='3']")
    expect(bubble).to_have_count(1)
    expect(bubble).to_have_attribute("aria-label", "3 Funde hier – zum Vergrößern antippen")
    expect(bubble).to_have_text("3")
    assert phone.locator(".finding-marker").count() == 0

    bubble.click()  # zoom 12 → 14: still one bubble, now in the middle
    expect(phone.locator(".cell-marker[data-count='3']")).to_have_count(1)
    phone.locator(".cell-marker[data-count='3']").click()  # → 16: the findings themselves
    expect(phone.locator("body")).to_have_attribute("data-view-mode", "findings")
    grouped = phone.locator(".finding-cluster")  # pins 44 m apart overlap at 16: one group (of 2 or 3)
    expect(grouped).to_have_count(1)
    phone.wait_for_timeout(300)
    grouped.click()  # → zoomed in until they stand apart
    expect(phone.locator(".finding-marker[data-finding-id]")).to_have_count(3)
    expect(phone.locator(".cell-marker")).to_have_count(0)

    phone.locator(".finding-marker[data-finding-id]").first.click()
    expect(phone.locator(".finding-popup__details")).to_contain_text("Alt-Homberg")  # the full finding
