"""Photos through the walk page: a 2.3 MB phone photo is stored; a photo the server refuses or
cannot take yet is never reported as saved, stays in the outbox with a visible error, and is
stored exactly once when sent again."""
import base64
import hashlib
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.phones import serious_violations
from tests.browser.capture import (
    eventually, file_payload, open_walk_map, rows, saved_popup, start_finding, to_last_step,
)
from tests.factories import finding_payload, make_walk
from tests.photos.images import noisy_jpeg

pytestmark = pytest.mark.browser

MB = 1024 * 1024
# Everything the toast (#status) and the status line (#sync-status) say, in order: "saved" must
# not be among it when a photo failed; a passing note is recorded even if it is gone by the time
# the test looks.
RECORD_ANNOUNCEMENTS = """
window.__said = { 'status': [], 'sync-status': [] };
document.addEventListener('DOMContentLoaded', () => {
  for (const id of Object.keys(window.__said)) {
    const region = document.getElementById(id);
    if (!region) continue;
    new MutationObserver(() => region.textContent && window.__said[id].push(region.textContent))
      .observe(region, { childList: true, characterData: true, subtree: true });
  }
});
"""
SAID = "(id) => window.__said[id]"
OUTBOX = """([name, ...args]) => import('/static/js/capture/outbox.js').then((box) => box[name](...args))"""
# Queue a finding with one photo as the page does, the photo's bytes exactly as given (no shrinking).
SUBMIT_UNSHRUNK = """async ([payload, b64, name]) => {
  const box = await import('/static/js/capture/outbox.js');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  await box.submitFinding(payload, [{ blob: new Blob([bytes], { type: 'image/jpeg' }), name }]);
}"""



@pytest.fixture
def walk(session):
    walk_id = make_walk(session, title="Fotos am Bismarckplatz")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    return {"id": walk_id, "code": code}


def phone_photo() -> bytes:
    """An unshrunk phone photo of about 2.3 MB: over the 2 MB of JSON bodies, under 2.5 MB."""
    data = noisy_jpeg((1700, 1275))
    assert 2.1 * MB < len(data) < 2.5 * MB, len(data)
    return data


def photos_of(session, finding_id):
    return rows(session, "SELECT sha256 FROM photos WHERE finding_id = :id", id=finding_id)


def finding_posted(request) -> bool:
    return request.method == "POST" and request.url.endswith("/api/findings")


def pin_with_photo(phone, walk, photo: bytes):
    """Pin a finding on the walk's map with one photo and send it; return the finding's id."""
    open_walk_map(phone, walk)
    start_finding(phone, "empty_shop")
    to_last_step(phone)
    phone.locator("#photo-gallery-input").set_input_files(files=[file_payload(photo, "IMG_2301.jpg")])
    expect(phone.locator(".photo-thumb")).to_have_count(1)
    with phone.expect_request(finding_posted) as sent:
        phone.locator("#send-button").click()
    return uuid.UUID(sent.value.post_data_json["id"])


def test_a_2_3_mb_photo_through_the_form_is_stored(phone, session, walk, photo_storage):
    photo = phone_photo()
    finding_id = pin_with_photo(phone, walk, photo)

    stored = eventually(lambda: photos_of(session, finding_id))
    assert len(stored) == 1, "the photo should reach the server"
    assert stored[0]["sha256"] != hashlib.sha256(photo).hexdigest(), "the page sends large photos scaled down"
    expect(phone.locator("#status")).to_contain_text("Gespeichert")
    expect(phone.locator("#outbox-problems")).to_be_hidden()


def test_a_2_3_mb_photo_is_stored_unshrunk_by_the_pages_outbox(phone, session, photo_storage):
    """The server takes what the page sends up to 15 MB, shrunk or not (here: not)."""
    photo = phone_photo()
    phone.goto("/")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    payload = finding_payload()
    phone.evaluate(SUBMIT_UNSHRUNK, [payload, base64.b64encode(photo).decode(), "IMG_2301.jpg"])

    stored = eventually(lambda: photos_of(session, uuid.UUID(payload["id"])))
    assert [p["sha256"] for p in stored] == [hashlib.sha256(photo).hexdigest()]
    expect(phone.locator("#sync-status")).to_contain_text("Alles gesendet", timeout=10000)


@pytest.mark.tolerate_console("status of 413")
def test_a_refused_photo_stays_in_the_outbox_with_an_error_and_is_never_called_saved(
        phone, app, session, walk, photo_storage, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", MB // 2)  # even the scaled-down copy is over it
    phone.add_init_script(RECORD_ANNOUNCEMENTS)
    finding_id = pin_with_photo(phone, walk, phone_photo())

    status, line, problems = phone.locator("#status"), phone.locator("#sync-status"), phone.locator("#outbox-problems")
    expect(status).to_contain_text("Foto nicht gespeichert: Das Foto ist zu groß.", timeout=15000)
    expect(line).to_contain_text("1 Foto nicht gespeichert")
    expect(line).to_have_attribute("data-state", "refused")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("Nicht gespeicherte Fotos")
    expect(problems.locator(".outbox-problems__item")).to_have_count(1)
    expect(problems.locator(".outbox-problems__item")).to_contain_text("IMG_2301.jpg: Das Foto ist zu groß.")
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()
    [kept] = phone.evaluate(OUTBOX, ["refusedPhotos"])
    assert kept["id"] == str(finding_id) and kept["refused"]["status"] == 413
    assert kept["refused"]["fields"] == {"photo": "is too large (at most 0.5 MB)"}
    saved_popup(phone)  # the finding itself is on the server, its pin no longer pending
    assert photos_of(session, finding_id) == []
    announced = phone.evaluate(SAID, "status")
    assert not [said for said in announced if "Gespeichert" in said], announced

    # The limit is raised again: sent again, the same photo is stored, once.
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 15 * MB)
    problems.get_by_role("button", name="Erneut senden").click()
    expect(problems).to_be_hidden(timeout=15000)
    expect(line).to_contain_text("Alles gesendet")
    assert len(eventually(lambda: photos_of(session, finding_id))) == 1
    assert phone.evaluate(OUTBOX, ["refusedPhotos"]) == []


@pytest.mark.tolerate_console("status of 413")
def test_a_refused_photo_can_be_discarded(phone, app, session, walk, photo_storage, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", MB // 2)
    finding_id = pin_with_photo(phone, walk, phone_photo())
    problems = phone.locator("#outbox-problems")
    expect(problems).to_be_visible(timeout=15000)
    problems.get_by_role("button", name="Verwerfen").click()
    expect(problems).to_be_hidden()
    expect(phone.locator("#sync-status")).not_to_contain_text("nicht gespeichert")
    assert phone.evaluate(OUTBOX, ["refusedPhotos"]) == []
    assert photos_of(session, finding_id) == []


@pytest.mark.tolerate_console("status of 503")
def test_a_photo_the_server_cannot_take_yet_is_retried_and_stored_once(phone, session, walk, photo_storage):
    """The first answer is lost to a 503 after the server stored the photo; the retry must not double it."""
    attempts = []

    def store_then_fail_once(route):
        if route.request.method != "PUT":
            route.continue_()
            return
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.fetch()  # the server stores it ...
            route.fulfill(status=503, json={"error": "unavailable", "message": "später"})  # ... the phone hears 503
        else:
            route.continue_()

    phone.add_init_script(RECORD_ANNOUNCEMENTS)
    phone.route("**/api/findings/*/photos/*", store_then_fail_once)
    finding_id = pin_with_photo(phone, walk, phone_photo())

    expect(phone.locator("#sync-status")).to_contain_text("Alles gesendet", timeout=20000)
    phone.wait_for_function("() => window.__said.status.some((said) => said.startsWith('Gespeichert'))")
    assert len(attempts) == 2 and attempts[0] == attempts[1], "the retry sends the same photo (same sha256)"
    assert len(photos_of(session, finding_id)) == 1
    assert any("Senden fehlgeschlagen – neuer Versuch folgt" in said for said in phone.evaluate(SAID, "sync-status"))
    announced = phone.evaluate(SAID, "status")
    failed = next(i for i, said in enumerate(announced) if "Senden fehlgeschlagen" in said)
    saved = next(i for i, said in enumerate(announced) if said.startswith("Gespeichert"))
    assert failed < saved, announced
