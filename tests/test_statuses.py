"""One vocabulary of statuses (mapapp/statuses.py) and one time zone (config.LOCAL_TZ).

Each is written once and imported everywhere: the labels shown on pages, in the scripts, the
API and the reports are the same msgids, and no module keeps its own copy of Europe/Berlin.
"""
import re
from pathlib import Path

from flask import render_template_string

from mapapp import statuses
from mapapp.config import LOCAL_TZ, LOCAL_ZONE
from mapapp.exports import report_data
from mapapp.exports.selection import status_label_sql
from mapapp.i18n.js_strings import JS_STRINGS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "mapapp").rglob("*.py")), *sorted((ROOT / "templates").rglob("*.html"))]


def _files_containing(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return [str(path.relative_to(ROOT)) for path in SOURCES if found.search(path.read_text(encoding="utf-8"))]


def test_workflow_knows_only_statuses_it_lists():
    assert list(statuses.LABELS) == list(statuses.CONCERN_STATUSES)
    assert set(statuses.TRANSITIONS) == set(statuses.CONCERN_STATUSES)
    for targets in statuses.TRANSITIONS.values():
        assert set(targets) <= set(statuses.CONCERN_STATUSES)
    assert set(statuses.OPEN_STATUSES) | set(statuses.CLOSED_STATUSES) == set(statuses.CONCERN_STATUSES)
    assert not set(statuses.OPEN_STATUSES) & set(statuses.CLOSED_STATUSES)


def test_status_labels_are_written_once():
    for label in statuses.LABELS.values():
        assert _files_containing(rf"""["']{re.escape(label)}["']""") == ["mapapp/statuses.py"], label


def test_transitions_are_written_once():
    assert _files_containing(r"""["']confirmed["']\s*:\s*\(["']handed_over""") == ["mapapp/statuses.py"]


def test_scripts_reports_and_gis_files_use_the_same_labels():
    assert JS_STRINGS["review"]["status"] == statuses.LABELS
    for code, label in statuses.LABELS.items():
        assert report_data.status_label(code) == label  # the reports are German
        assert f"WHEN '{code}' THEN '{label}'" in status_label_sql("status")
    assert report_data.status_label("unknown") == "unknown"


def test_pages_get_the_labels_translated(app):
    template = "{{ status_labels['handed_over'] }}|{{ status_labels.get('duplicate') }}"
    with app.test_request_context("/?lang=en"):
        english = statuses.status_labels()
        assert render_template_string(template) == f"{english['handed_over']}|{english['duplicate']}"
    assert english["handed_over"] != "Übergeben"
    with app.test_request_context("/?lang=de"):
        assert render_template_string(template) == "Übergeben|Doppelt gemeldet"


def test_duisburg_time_zone_is_named_once():
    assert LOCAL_TZ == "Europe/Berlin" and LOCAL_ZONE.key == LOCAL_TZ
    assert _files_containing(r"Europe/Berlin") == ["mapapp/config.py"]
    assert _files_containing(r"ZoneInfo\((?!\"UTC\"|LOCAL_TZ)") == []
