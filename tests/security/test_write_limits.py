"""Each limited blueprint answers its own 429; the limiter and the write budget import no blueprint."""
import ast
import inspect

import pytest

from mapapp.security import write_limits
from mapapp.auth import ratelimit


@pytest.mark.parametrize("blueprint", ["api", "photos", "open311", "auth"])
def test_each_limited_blueprint_registers_its_own_429(app, blueprint):
    assert 429 in app.error_handler_spec[blueprint]


def test_no_app_wide_429_answer(app):
    assert 429 not in app.error_handler_spec[None]


@pytest.mark.parametrize("module", [ratelimit, write_limits], ids=lambda module: module.__name__)
def test_the_limits_import_no_blueprint(module):
    imported = {node.module for node in ast.walk(ast.parse(inspect.getsource(module)))
                if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.startswith("mapapp")}
