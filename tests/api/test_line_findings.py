"""A line finding lies wholly in Duisburg and is at most LINE_MAX_LENGTH_M long (POST and PATCH).

Only a line's middle picks its districts, so a line reaching other continents from Mitte
was stored, stretching the PDF map and the GeoPackage extent to the whole world.
"""
import uuid

import pytest
from sqlalchemy import text

from mapapp.api.schemas import LINE_MAX_VERTICES
from tests.factories import finding_payload

# Across Mitte to the other side of the earth; its middle lies in Mitte.
OTHER_CONTINENTS = [[-93.25, 51.43], [106.75, 51.43]]
# From Mitte eastwards into Mülheim: 4.2 km, its middle (6.82) still in Duisburg.
INTO_MUELHEIM = [[6.79, 51.4297], [6.85, 51.4297]]
# North from Mitte through Homberg/Ruhrort/Baerl into Meiderich/Beeck: inside the city.
ACROSS_THREE_BEZIRKE = [[6.76, 51.43], [6.76, 51.46]]  # 3.3 km
MITTE_TO_MEIDERICH = [[6.76, 51.40], [6.76, 51.46]]  # 6.7 km
# In a sliver (0.65 m wide) between two official Stadtbezirke that the city's own layer leaves open.
IN_OFFICIAL_SLIVER = (6.775802585307355, 51.448463849999996)


def line(coordinates):
    return {"type": "LineString", "coordinates": coordinates}


def post_line(client, coordinates, category="cycle_path"):
    return client.post("/api/findings", json={"id": str(uuid.uuid4()), "category": category,
                                             "geometry": line(coordinates)})


def stored(session):
    return session.execute(text("SELECT count(*) FROM findings")).scalar()


def assert_refused(response, words):
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert set(body["fields"]) == {"geometry"}
    assert words in body["fields"]["geometry"]


@pytest.mark.parametrize("coordinates", [OTHER_CONTINENTS, INTO_MUELHEIM])
def test_line_reaching_beyond_duisburg_is_refused(client, session, coordinates):
    assert_refused(post_line(client, coordinates), "reicht über Duisburg hinaus")
    assert stored(session) == 0


def test_line_longer_than_the_limit_is_refused(client, session):
    assert_refused(post_line(client, MITTE_TO_MEIDERICH), "länger als 5 km")
    assert stored(session) == 0


def test_line_across_stadtbezirke_inside_the_city_is_stored(client, session):
    response = post_line(client, ACROSS_THREE_BEZIRKE)
    assert response.status_code == 201, response.get_json()
    assert stored(session) == 1


def test_the_length_limit_is_configurable_and_said_in_the_language_asked(app, client, session):
    app.config["LINE_MAX_LENGTH_M"] = 2500
    try:
        response = client.post("/api/findings?lang=en", json={
            "id": str(uuid.uuid4()), "category": "cycle_path", "geometry": line(ACROSS_THREE_BEZIRKE)})
    finally:
        app.config["LINE_MAX_LENGTH_M"] = 5000
    assert_refused(response, "2.5 km")
    assert stored(session) == 0


def test_line_with_too_many_vertices_is_refused_while_parsing(client, session):
    steps = LINE_MAX_VERTICES + 1
    coordinates = [[6.76, 51.43 + 0.01 * i / steps] for i in range(steps)]
    response = post_line(client, coordinates)
    assert response.status_code == 422
    assert str(LINE_MAX_VERTICES) in response.get_json()["fields"]["geometry"]
    assert stored(session) == 0


@pytest.mark.parametrize("coordinates, words", [
    (OTHER_CONTINENTS, "reicht über Duisburg hinaus"), (MITTE_TO_MEIDERICH, "länger als 5 km"),
])
def test_changing_ones_line_so_it_reaches_too_far_is_refused(client, session, coordinates, words):
    created = post_line(client, ACROSS_THREE_BEZIRKE)
    assert created.status_code == 201
    finding_id = created.get_json()["id"]
    response = client.patch(f"/api/findings/{finding_id}", json={"geometry": line(coordinates),
                                                                "description": "verlängert"})
    assert_refused(response, words)
    kept = client.get(f"/api/findings/{finding_id}").get_json()
    assert kept["geometry"]["coordinates"] == ACROSS_THREE_BEZIRKE
    assert kept["properties"]["description"] is None


def test_line_crossing_a_sliver_between_official_stadtbezirke_is_stored(client, session, official_districts):
    lon, lat = IN_OFFICIAL_SLIVER
    in_no_bezirk = session.execute(text("""
        SELECT NOT EXISTS (SELECT 1 FROM districts WHERE level = 'stadtbezirk'
                           AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)))"""),
        {"lon": lon, "lat": lat}).scalar()
    assert in_no_bezirk, "the official layer no longer leaves this sliver open"
    response = post_line(client, [[lon, lat], [lon + 0.0008, lat]])
    assert response.status_code == 201, response.get_json()
