"""Sending to the city lives in its own subpackage, mapapp/open311/city/, with its interfaces unchanged."""
import importlib
from pathlib import Path

import pytest

OPEN311 = Path(__file__).resolve().parents[2] / "mapapp" / "open311"
MODULES = ["cli", "client", "endpoints", "links", "pages", "queue", "refresh", "sending", "state"]


def test_no_city_modules_are_left_beside_the_georeport_server():
    assert sorted(path.name for path in OPEN311.glob("city*.py")) == []
    assert sorted(path.stem for path in (OPEN311 / "city").glob("*.py") if path.stem != "__init__") == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_each_city_module_imports_and_stays_short(name):
    module = importlib.import_module(f"mapapp.open311.city.{name}")
    assert len(Path(module.__file__).read_text().splitlines()) <= 300


def test_the_city_commands_and_pages_are_where_they_were(app):
    assert sorted(app.cli.commands["city"].commands) == [
        "add-endpoint", "edit-endpoint", "mark-sent", "refresh", "send", "send-again", "status"]
    rules = sorted((rule.rule, rule.endpoint) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("city."))
    assert rules == [
        ("/organiser/city/", "city.index"),
        ("/organiser/city/endpoints", "city.add_endpoint"),
        ("/organiser/city/endpoints/<int:endpoint_id>", "city.edit_endpoint"),
        ("/organiser/city/endpoints/<int:endpoint_id>", "city.update_endpoint"),
        ("/organiser/city/endpoints/<int:endpoint_id>/active", "city.toggle_endpoint"),
        ("/organiser/city/refresh", "city.refresh"),
        ("/organiser/city/send", "city.send"),
        ("/organiser/city/submissions/<concern_id>/mark-sent", "city.mark_sent"),
        ("/organiser/city/submissions/<concern_id>/send-again", "city.send_again"),
    ]
