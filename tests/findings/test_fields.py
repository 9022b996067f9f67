"""A finding's Feature and its OpenAPI schema come from one field list (mapapp/findings/fields.py)."""
import json

import jsonschema

from mapapp.api.openapi import FEATURE, openapi_document
from mapapp.findings.fields import FEATURE_FIELDS
from mapapp.findings.store import feature_json
from tests.factories import make_finding

OWN_FINDINGS_ONLY = {"concern_status", "concern_status_label"}


def test_schema_documents_exactly_the_properties_the_api_returns(session):
    feature = json.loads(feature_json(session, make_finding(session, description="Leer")))
    documented = set(FEATURE["properties"]["properties"]["properties"]) - OWN_FINDINGS_ONLY
    assert set(feature["properties"]) == documented == {name for name, _sql, _schema in FEATURE_FIELDS}


def test_a_stored_finding_matches_its_schema(session, client):
    finding_id = make_finding(session, description="Leer")
    session.commit()
    answer = client.get(f"/api/findings/{finding_id}")
    assert answer.status_code == 200
    jsonschema.validate(answer.get_json(), openapi_document()["components"]["schemas"]["Feature"])
