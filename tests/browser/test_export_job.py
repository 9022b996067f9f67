"""An organiser starts a large export: the job page shows its progress, then offers the file."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.auth.helpers import PASSWORD, make_organiser
from tests.factories import BISMARCKPLATZ, make_finding, make_walk

pytestmark = pytest.mark.browser


def test_background_export_reaches_done_and_offers_the_download(desktop, app, session, csrf_enabled,
                                                                tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "EXPORT_JOBS_IN_PROCESS", True)
    make_organiser(session)
    walk = make_walk(session)
    for step in range(4):
        make_finding(session, BISMARCKPLATZ[0] + step * 0.001, BISMARCKPLATZ[1], walk_id=walk)
    session.commit()

    desktop.goto("/organiser/exports")
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()
    expect(desktop.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    desktop.locator("#export-format").select_option("pdf")
    desktop.get_by_role("button", name="Exportieren").click()

    expect(desktop).to_have_url(re.compile(r"/organiser/exports/jobs/[0-9a-f-]{36}$"))
    expect(desktop.locator("progress#export-job-progress")).to_be_attached()
    expect(desktop.locator(".export-job__state")).to_have_text("Fertig", timeout=60_000)
    expect(desktop.locator(".export-job__count")).to_have_text("4 / 4")
    assert desktop.locator("progress#export-job-progress").evaluate("bar => bar.value === bar.max")
    link = desktop.get_by_role("link", name="Datei herunterladen")
    expect(link).to_be_visible()
    with desktop.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == f"mapapp-both-{date.today().isoformat()}.pdf"  # the form's default
    assert open(caught.value.path(), "rb").read(5) == b"%PDF-"

    desktop.goto("/organiser/exports")
    expect(desktop.locator(".export-jobs li")).to_have_count(1)
    expect(desktop.locator(".export-jobs li")).to_contain_text("Bericht (PDF)")
