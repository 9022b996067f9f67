"""Scratch probe (deleted before hand-off)."""
import base64
import pytest
from sqlalchemy import text
from playwright.sync_api import expect
from tests.browser import test_offline as t
from tests.browser.test_offline import uploads  # noqa
from tests.factories import make_walk


def pin(page, category, colour, dy):
    page.locator("#pin-button").click()
    page.locator("#tap-button").click()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * dy)
    page.locator(f"input[name=category][value={category}]").check()
    name, b64 = t.photo(colour)
    page.locator("#photo-gallery-input").set_input_files(files=[{"name": name, "mimeType": "image/jpeg", "buffer": base64.b64decode(b64)}])
    expect(page.locator("#photo-list li")).to_have_count(1)
    page.locator("#send-button").click()
    expect(page.locator("#capture-sheet")).to_be_hidden()


def test_probe(phone, session, uploads):
    page = phone
    logs = []
    page.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
    page.on("requestfailed", lambda r: logs.append(f"FAILED {r.method} {r.url} {r.failure}"))
    walk = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id=:id"), {"id": walk}).scalar()
    page.goto(f"/w/{code}")
    page.locator("#join-button").click()
    page.wait_for_url(f"**/w/{code}/map")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    status = page.locator("#sync-status")
    pin(page, "empty_shop", (200, 40, 40), 0.5)
    expect(status).to_contain_text("Alles gesendet", timeout=15000)
    page.context.set_offline(True)
    expect(status).to_contain_text("Offline")
    pin(page, "noise", (40, 200, 40), 0.3)
    pin(page, "litter", (40, 40, 200), 0.7)
    expect(status).to_contain_text("2 Funde warten auf Verbindung")
    page.screenshot(path="/tmp/offline_walk3.png")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    expect(status).to_contain_text("2 Funde warten auf Verbindung")
    page.screenshot(path="/tmp/offline_walk4.png")
    page.context.set_offline(False)
    expect(status).to_contain_text("Alles gesendet", timeout=20000)
    print("\n".join(logs))
    session.rollback()
    print(session.execute(text("SELECT f.id, f.participant_id, f.walk_id, count(p.id) FROM findings f LEFT JOIN photos p ON p.finding_id=f.id GROUP BY f.id")).all())
