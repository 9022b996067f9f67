"""Inputs the API fuzzing turned up (or that sit next to them): each answered as a 4xx in JSON
naming what is wrong, never a 500, and nothing stored."""
import uuid

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import text

from mapapp.api.openapi import openapi_document
from tests.factories import finding_payload


def count_findings(session):
    return session.execute(text("SELECT count(*) FROM findings")).scalar()


@pytest.mark.parametrize("field, value", [
    ("description", "Müll\x00am Rand"),
    ("category", "litter\x00"),
    ("attributes", {"material\x00": "x"}),
    ("attributes", {"material": ["a\x00"]}),
])
def test_nul_character_in_a_new_finding_is_refused_naming_the_field(client, session, field, value):
    response = client.post("/api/findings", json={**finding_payload(), field: value})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {field}
    assert count_findings(session) == 0


def test_lone_surrogate_is_refused_naming_the_field(client, session):
    body = '{"id": "%s", "lat": 51.4323, "lon": 6.762, "category": "litter", "description": "\\ud800"}'
    response = client.post("/api/findings", data=body % uuid.uuid4(), content_type="application/json")
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"description"}
    assert count_findings(session) == 0


def test_nul_character_in_a_change_is_refused(client, session):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    response = client.patch(f"/api/findings/{body['id']}", json={"description": "a\x00b"})
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"description"}
    stored = session.execute(text("SELECT description FROM findings WHERE id = :id"), {"id": body["id"]}).scalar()
    assert stored == body.get("description")


@pytest.mark.parametrize("url, name", [
    ("/api/findings?district=Hom%00berg", "district"),
    ("/api/findings?category=litter%00", "category"),
    ("/api/findings/nearby?lat=51.43&lon=6.76&category=a%00b", "category"),
    ("/api/districts?level=ortsteil%00", "level"),
    ("/api/walks/AB%00CD", "ref"),
    ("/api/categories?walk=%00", "walk"),
])
def test_nul_character_in_a_parameter_is_a_422_naming_it(client, url, name):
    response = client.get(url)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {name}


@pytest.mark.parametrize("url, name", [
    ("/tiles/findings/12/2130/1370.mvt?district=a%00", "district"),
    ("/api/viewport?bbox=6.7,51.4,6.8,51.5&zoom=12&category=%00", "category"),
])
def test_nul_character_in_a_map_data_parameter_is_a_422(client, url, name):
    response = client.get(url)
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {name}


@pytest.mark.parametrize("url, name", [
    ("/open311/v2/requests.json?service_code=%00", "service_code"),
    ("/open311/v2/services/a%00.json", "code"),
])
def test_nul_character_in_an_open311_parameter_is_its_400(client, url, name):
    response = client.get(url)
    assert response.status_code == 400
    [error] = response.get_json()
    assert error["code"] == 400 and name in error["description"]


def test_deeply_nested_body_is_a_400_not_a_crash(client, session):
    response = client.post("/api/findings", data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert "body" in response.get_json()["fields"]
    assert count_findings(session) == 0


def test_point_with_a_height_is_stored_flat(client, session):
    body = {"id": str(uuid.uuid4()), "category": "litter",
            "geometry": {"type": "Point", "coordinates": [6.762, 51.4323, 35.5]}}
    response = client.post("/api/findings", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["geometry"]["coordinates"] == [6.762, 51.4323]


def test_line_with_heights_is_stored_flat(client, session):
    line = [[6.7120, 51.4015, 20.0], [6.7135, 51.4021, 21.0]]
    body = {"id": str(uuid.uuid4()), "category": "cycle_path", "geometry": {"type": "LineString", "coordinates": line}}
    response = client.post("/api/findings", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["geometry"]["coordinates"] == [p[:2] for p in line]


def test_wrong_method_is_json_with_allow_header(client):
    response = client.put("/api/findings")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_body_over_the_limit_is_json_413(app, client, session):
    too_big = b" " * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/api/findings", data=too_big, content_type="application/json")
    assert response.status_code == 413
    assert response.is_json
    assert count_findings(session) == 0


def test_document_lists_the_answers_the_app_gives():
    paths = openapi_document()["paths"]
    post = paths["/api/findings"]["post"]["responses"]
    assert {"201", "200", "400", "413", "422", "429", "503"} <= set(post)
    assert "Location" in post["201"]["headers"]
    patch = paths["/api/findings/{id}"]["patch"]["responses"]
    assert {"400", "403", "404", "413", "422"} <= set(patch)
    listing = paths["/api/findings"]["get"]["responses"]
    assert "304" in listing and "ETag" in listing["200"]["headers"]
    assert {"404", "422"} <= set(paths["/api/findings/{id}/confirmations"]["delete"]["responses"])
    assert "422" in paths["/api/categories"]["get"]["responses"]


# ---- the document and the app agree (spec mismatches the fuzzing found) ------------------

DOCUMENT = openapi_document()


def _fits(schema: dict, raw: str) -> bool:
    """Whether a query parameter's text fits one schema, read the way OpenAPI clients read it."""
    value = raw
    if schema.get("type") in ("integer", "number"):
        try:
            value = int(raw) if schema["type"] == "integer" else float(raw)
        except ValueError:
            return False
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(value)


def document_allows(path: str, name: str, raw: str) -> bool:
    item = DOCUMENT["paths"][path]
    parameters = {p["name"]: p for p in item.get("parameters", []) + item["get"].get("parameters", [])}
    schema = parameters[name]["schema"]
    return any(_fits(branch, raw) for branch in schema.get("anyOf", [schema]))


NEARBY = {"lat": "51.4565", "lon": "6.6995", "category": "empty_shop"}
VIEW = {"bbox": "6.7,51.4,6.8,51.5", "zoom": "12"}


@pytest.mark.parametrize("path, url, params, name", [
    ("/api/findings", "/api/findings", {"walk": ""}, "walk"),
    ("/api/findings", "/api/findings", {"bbox": ""}, "bbox"),
    ("/api/findings", "/api/findings", {"limit": ""}, "limit"),
    ("/api/findings", "/api/findings", {"limit": "0"}, "limit"),
    ("/api/findings", "/api/findings", {"limit": "10001"}, "limit"),
    ("/api/findings", "/api/findings", {"category": ""}, "category"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "radius": "0"}, "radius"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "radius": "5e-324"}, "radius"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "radius": ""}, "radius"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "category": ""}, "category"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "walk": ""}, "walk"),
    ("/api/findings/nearby", "/api/findings/nearby", {**NEARBY, "lat": "91"}, "lat"),
    ("/api/categories", "/api/categories", {"walk": ""}, "walk"),
    ("/api/districts", "/api/districts", {"level": ""}, "level"),
    ("/api/viewport", "/api/viewport", {**VIEW, "bbox": ""}, "bbox"),
    ("/api/viewport", "/api/viewport", {**VIEW, "walk": ""}, "walk"),
    ("/api/viewport", "/api/viewport", {**VIEW, "from": ""}, "from"),
    ("/api/viewport", "/api/viewport", {**VIEW, "status": ""}, "status"),
    ("/api/viewport", "/api/viewport", {**VIEW, "status": "bogus"}, "status"),
    ("/tiles/findings/{z}/{x}/{y}.mvt", "/tiles/findings/3/4/2.mvt", {"walk": ""}, "walk"),
])
def test_a_parameter_the_document_allows_is_accepted_and_one_it_refuses_is_a_422(client, path, url, params, name):
    response = client.get(url, query_string=params)
    allowed = document_allows(path, name, params[name])
    assert response.status_code in ((200,) if allowed else (422,)), (allowed, response.get_json())
    if not allowed:
        assert name in response.get_json()["fields"]


@pytest.mark.parametrize("url, name", [("/tiles/findings/0/1/0.mvt", "x"), ("/tiles/findings/3/0/8.mvt", "y")])
def test_a_tile_beyond_its_zooms_grid_is_a_documented_404(client, url, name):
    """The document cannot bound x and y by 2^z; such a path names no tile."""
    response = client.get(url)
    assert response.status_code == 404
    assert set(response.get_json()["fields"]) == {name}
    operation = DOCUMENT["paths"]["/tiles/findings/{z}/{x}/{y}.mvt"]["get"]
    assert "404" in operation["responses"]
    assert next(p for p in operation["parameters"] if p["name"] == name)["schema"]["minimum"] == 0


def _body_allowed(name: str, body: dict) -> bool:
    schema = DOCUMENT["components"]["schemas"][name]
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(body)


@pytest.mark.parametrize("changes", [
    {"lat": None, "lon": None},
    {"lat": None, "lon": None, "geometry": {"type": "Point", "coordinates": [6.762, 51.4323]}},
    {"geometry": None},
    {"lat": 51.4323},
    {"lat": 91, "lon": 6.762},
    {"accuracy_m": -1},
])
def test_a_new_finding_the_document_refuses_is_refused(client, session, changes):
    body = {key: value for key, value in finding_payload().items() if key not in ("lat", "lon")} | changes
    assert not _body_allowed("FindingIn", body)
    response = client.post("/api/findings", json=body)
    assert response.status_code == 422, response.get_json()
    assert count_findings(session) == 0


@pytest.mark.parametrize("changes", [{"category": None}, {"lat": None, "lon": None}, {"geometry": None}])
def test_a_change_the_document_refuses_is_refused(client, session, changes):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    assert not _body_allowed("FindingPatch", changes)
    assert client.patch(f"/api/findings/{body['id']}", json=changes).status_code == 422


@pytest.mark.parametrize("changes", [{"description": None}, {"urgency": None}, {"accuracy_m": None}])
def test_null_clears_what_the_document_lets_it_clear(client, session, changes):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    assert _body_allowed("FindingPatch", changes)
    response = client.patch(f"/api/findings/{body['id']}", json=changes)
    assert response.status_code == 200, response.get_json()
    [(name, _)] = changes.items()
    assert response.get_json()["properties"][name] is None
