"""Scratch probe (deleted before hand-off)."""
import pytest
from tests.browser import test_offline as t
from tests.browser.test_offline import uploads  # noqa
from playwright.sync_api import expect


@pytest.fixture
def probe(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server,
                                  geolocation={"latitude": 51.4565, "longitude": 6.6995, "accuracy": 12},
                                  permissions=["geolocation"], locale="de-DE")
    page = context.new_page()
    logs = []
    page.on("console", lambda m: logs.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: logs.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: logs.append(f"FAILED {r.method} {r.url} {r.failure}"))
    page.on("request", lambda r: logs.append(f"REQ {r.method} {r.url} sw={r.service_worker is not None}"))
    page.logs = logs
    yield page
    print("\n".join(logs))
    context.close()


def test_probe(probe, session, uploads):
    page = probe
    page.goto("/")
    page.locator("html[data-offline=ready]").wait_for(state="attached", timeout=15000)
    status = page.locator("#sync-status")
    first = t.payload("empty_shop")
    page.evaluate(t.SUBMIT, [first, [t.photo((200, 40, 40))]])
    expect(status).to_contain_text("Alles gesendet", timeout=15000)
    page.context.set_offline(True)
    expect(status).to_contain_text("Offline")
    offline = [t.payload("noise", 0.0004), t.payload("litter", -0.0004)]
    page.evaluate(t.SUBMIT, [offline[0], [t.photo((40, 200, 40))]])
    page.evaluate(t.SUBMIT, [offline[1], [t.photo((40, 40, 200))]])
    expect(status).to_contain_text("2 Funde warten auf Verbindung")
    page.reload()
    expect(status).to_contain_text("2 Funde warten auf Verbindung")
    print("STATUS", status.text_content())
    page.context.set_offline(False)
    expect(status).to_contain_text("Alles gesendet", timeout=20000)
    rows = t.stored_findings(session, [first["id"]] + [p["id"] for p in offline])
    print(rows)
    assert len(rows) == 3
