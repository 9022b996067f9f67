"""Fuzz the JSON API from its own OpenAPI description (schemathesis).

Every operation in ``/api/openapi.json`` gets generated requests, valid and invalid; no answer
may be a 500, and every answer must match what the document says: a status it lists, its media
type, its schema. A refused write must leave nothing behind. Derandomized and bounded so a run
is repeatable and quick.
"""
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)
from sqlalchemy import text

from mapapp.api.openapi import openapi_document
from mapapp.db import db

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


# The document is built without a database; the test below checks it is the one the app serves.
# (Loading it through a fixture would need schemathesis' lazy loader, which this pytest lacks.)
schema = schemathesis.openapi.from_dict(openapi_document())


def test_fuzzed_document_is_the_served_one(client):
    assert client.get("/api/openapi.json").get_json() == openapi_document()


def _count_findings(app) -> int:
    with app.app_context():
        try:
            return db.session.execute(text("SELECT count(*) FROM findings")).scalar()
        finally:
            db.session.remove()


@schema.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, app):
    before = _count_findings(app)
    # The in-process client does not undo compression; a real one would.
    response = case.call_and_validate(app=app, checks=CHECKS, headers={"Accept-Encoding": "identity"})
    if response.status_code >= 400:
        assert _count_findings(app) == before, "a refused request left a record behind"
