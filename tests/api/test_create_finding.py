"""POST /api/findings: storing, idempotency, and every kind of bad input."""
import json
import threading
import uuid

import pytest
from sqlalchemy import text

from tests.factories import AMSTERDAM, BISMARCKPLATZ, RHEINHAUSEN_MARKT, finding_payload


def count_findings(session, finding_id=None):
    if finding_id is None:
        return session.execute(text("SELECT count(*) FROM findings")).scalar()
    return session.execute(text("SELECT count(*) FROM findings WHERE id = :id"), {"id": finding_id}).scalar()


def test_created_finding_names_its_districts(client, session):
    body = finding_payload(*BISMARCKPLATZ, description="Leer seit 2024")
    response = client.post("/api/findings", json=body)
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/findings/{body['id']}"
    feature = response.get_json()
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [BISMARCKPLATZ[1], BISMARCKPLATZ[0]]}
    props = feature["properties"]
    assert props["ortsteil"] == "Alt-Homberg"
    assert props["stadtbezirk"] == "Homberg/Ruhrort/Baerl"
    assert props["status"] == "new"
    assert props["accuracy_m"] == 6.5
    assert props["description"] == "Leer seit 2024"
    row = session.execute(text("""
        SELECT o.name, s.name, ST_X(f.geom), ST_Y(f.geom) FROM findings f
        JOIN districts o ON o.id = f.ortsteil_id JOIN districts s ON s.id = f.stadtbezirk_id
        WHERE f.id = :id"""), {"id": body["id"]}).one()
    assert row == ("Alt-Homberg", "Homberg/Ruhrort/Baerl", BISMARCKPLATZ[1], BISMARCKPLATZ[0])


def test_line_finding_is_stored_as_linestring(client, session):
    line = {"type": "LineString", "coordinates": [[6.7120, 51.4015], [6.7135, 51.4021], [6.7150, 51.4030]]}
    body = {"id": str(uuid.uuid4()), "geometry": line, "category": "cycle_path"}
    response = client.post("/api/findings", json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["properties"]["ortsteil"] == "Rheinhausen-Mitte"
    kind = session.execute(text("SELECT GeometryType(geom) FROM findings WHERE id = :id"), {"id": body["id"]}).scalar()
    assert kind == "LINESTRING"


def test_same_id_again_returns_the_stored_record(client, session):
    body = finding_payload()
    first = client.post("/api/findings", json=body)
    again = client.post("/api/findings", json={**body, "description": "changed on retry"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count_findings(session, body["id"]) == 1


def test_concurrent_posts_with_one_id_store_one_finding(app, session):
    body = finding_payload(*RHEINHAUSEN_MARKT, category="noise")
    start = threading.Barrier(8)
    statuses = []

    def send():
        client = app.test_client()
        start.wait()
        statuses.append(client.post("/api/findings", json=body).status_code)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 7 + [201]
    assert count_findings(session, body["id"]) == 1


BAD_BODIES = [
    ("missing lat", {"lat": None}, ["lat"]),
    ("missing coordinates", {"lat": None, "lon": None}, ["lat", "lon"]),
    ("text latitude", {"lat": "einundfünfzig"}, ["lat"]),
    ("numeric string", {"lon": "6.7"}, ["lon"]),
    ("boolean", {"lat": True}, ["lat"]),
    ("latitude too large", {"lat": 91.0}, ["lat"]),
    ("longitude too small", {"lon": -180.5}, ["lon"]),
    ("unknown category", {"category": "unicorns"}, ["category"]),
    ("missing category", {"category": None}, ["category"]),
    ("description too long", {"description": "x" * 2001}, ["description"]),
    ("id not a uuid", {"id": "42"}, ["id"]),
    ("negative accuracy", {"accuracy_m": -3}, ["accuracy_m"]),
    ("unknown walk", {"walk_id": str(uuid.uuid4())}, ["walk_id"]),
    ("outside Duisburg", {"lat": AMSTERDAM[0], "lon": AMSTERDAM[1]}, ["lat", "lon"]),
    ("point and geometry", {"geometry": {"type": "Point", "coordinates": [6.7, 51.4]}}, ["geometry"]),
]


@pytest.mark.parametrize("case, changes, fields", BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_input_names_the_field_and_stores_nothing(client, session, case, changes, fields):
    body = {k: v for k, v in {**finding_payload(), **changes}.items() if v is not None}
    response = client.post("/api/findings", json=body)
    assert response.status_code == 422
    error = response.get_json()
    assert error["error"] == "validation_failed"
    assert set(fields) <= set(error["fields"]), error
    assert count_findings(session) == 0


@pytest.mark.parametrize("literal, field", [("NaN", "lat"), ("Infinity", "lon"), ("-Infinity", "accuracy_m")])
def test_nan_and_infinity_are_refused(client, session, literal, field):
    body = json.dumps(finding_payload()).replace(f'"{field}": ', f'"{field}": {literal}, "_old": ', 1)
    response = client.post("/api/findings", data=body, content_type="application/json")
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert count_findings(session) == 0


BAD_GEOMETRIES = [
    {"type": "Polygon", "coordinates": [[[6.7, 51.4], [6.8, 51.4], [6.8, 51.5], [6.7, 51.4]]]},
    {"type": "LineString", "coordinates": [[6.7, 51.4]]},
    {"type": "LineString", "coordinates": [[6.7, 51.4], [6.7, 51.4]]},
    {"type": "LineString", "coordinates": [[6.7, 51.4], [6.7, 95.0]]},
    {"type": "Point", "coordinates": ["6.7", 51.4]},
    {"type": "Point"},
    "POINT(6.7 51.4)",
]


@pytest.mark.parametrize("geometry", BAD_GEOMETRIES)
def test_bad_geometry_is_refused(client, session, geometry):
    body = {"id": str(uuid.uuid4()), "geometry": geometry, "category": "cycle_path"}
    response = client.post("/api/findings", json=body)
    assert response.status_code == 422
    assert "geometry" in response.get_json()["fields"]
    assert count_findings(session) == 0


def test_line_outside_duisburg_names_geometry(client, session):
    line = {"type": "LineString", "coordinates": [[4.90, 52.36], [4.91, 52.37]]}
    response = client.post("/api/findings", json={"id": str(uuid.uuid4()), "geometry": line, "category": "noise"})
    assert response.status_code == 422
    assert "geometry" in response.get_json()["fields"]


@pytest.mark.parametrize("data", [b"{not json", b"", "\ufeff{}".encode("utf-16"), b"[1, 2]", b'"text"'])
def test_body_that_is_not_a_json_object_is_a_400(client, session, data):
    response = client.post("/api/findings", data=data, content_type="application/json")
    assert response.status_code == 400
    assert "body" in response.get_json()["fields"]
    assert count_findings(session) == 0
