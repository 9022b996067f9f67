"""``create_app`` is the whole wiring: a blueprint registers nothing beyond itself, and the
modules moved out of the runtime core (or renamed for what they are) are where the layout says."""
import importlib.util

import pytest
from flask import Flask

from mapapp.api import bp as api_bp
from mapapp.security.guards import refuse_bad_characters_in_parameters, require_json_writes
from mapapp.ogc import bp as ogc_bp
from mapapp.open311 import bp as open311_bp
from mapapp.photos import bp as photos_bp
from mapapp.review import teams


@pytest.mark.parametrize("blueprint", [api_bp, photos_bp, open311_bp, ogc_bp], ids=lambda bp: bp.name)
def test_a_blueprint_registered_alone_brings_nothing_else(blueprint):
    bare = Flask("bare")
    bare.register_blueprint(blueprint)
    assert set(bare.blueprints) == {blueprint.name}  # no other blueprint (Open311's key pages)
    assert bare.before_request_funcs.get(None, []) == []  # no guard of other blueprints
    assert "photo_storage" not in bare.extensions
    assert not any(name.startswith("OGC_") for name in bare.config)


def test_create_app_wires_what_the_blueprints_used_to(app):
    assert {"open311", "open311_keys", "auth"} <= set(app.blueprints)
    assert app.extensions["photo_storage"] is not None
    assert app.config["OGC_MAX_ITEMS"] == 10000
    hooks = app.before_request_funcs[None]
    assert hooks[-2:] == [refuse_bad_characters_in_parameters, require_json_writes]


@pytest.mark.parametrize("old, new", [
    ("mapapp.models", "mapapp.db.schema"),
    ("mapapp.embedded_pg", "mapapp.devtools.embedded_pg"),
    ("mapapp.demo", "mapapp.devtools.demo"),
    ("mapapp.pwa.make_icons", "mapapp.devtools.make_icons"),
])
def test_moved_modules(old, new):
    assert importlib.util.find_spec(old) is None
    assert importlib.util.find_spec(new) is not None


def test_one_class_is_named_team():
    from mapapp.db.schema.review import Team

    assert Team.__tablename__ == "teams"
    assert not hasattr(teams, "Team") and teams.TeamSummary
