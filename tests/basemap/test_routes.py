"""The self-hosted basemap's routes: tiles read from the PMTiles archive, long-cached, and the
tile list of a walk's area; bad coordinates are 4xx JSON naming the field."""
import gzip
import json
import re

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from mapapp.basemap.area import tile_range
from tests.basemap.archive import HOMBERG
from tests.factories import BISMARCKPLATZ, make_walk

BISMARCK_BOUNDS = (BISMARCKPLATZ[1], BISMARCKPLATZ[0]) * 2
GZIP = {"Accept-Encoding": "gzip"}
Z, (X, Y) = 15, (r.start for r in tile_range(BISMARCK_BOUNDS, 15))


def test_a_tile_comes_from_the_archive_long_cached_with_an_etag(client, basemap):
    response = client.get(f"/basemap/{Z}/{X}/{Y}.mvt", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=604800" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    layers = mapbox_vector_tile.decode(gzip.decompress(response.data))
    assert {"earth", "roads"} <= set(layers)
    (x12,), (y12,) = tile_range(BISMARCK_BOUNDS, 12)
    overview = mapbox_vector_tile.decode(gzip.decompress(client.get(f"/basemap/12/{x12}/{y12}.mvt", headers=GZIP).data))
    assert "Alt-Homberg" in {f["properties"].get("name") for f in overview["places"]["features"]}

    again = client.get(f"/basemap/{Z}/{X}/{Y}.mvt", headers={"If-None-Match": response.headers["ETag"],
                                                           "Accept-Encoding": "gzip"})
    assert again.status_code == 304


def test_a_client_without_gzip_gets_the_plain_tile(client, basemap):
    response = client.get(f"/basemap/{Z}/{X}/{Y}.mvt", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert "earth" in mapbox_vector_tile.decode(response.data)


def test_metadata_names_bounds_zooms_and_tile_type(client, basemap):
    body = client.get("/basemap/metadata.json").get_json()
    assert body["bounds"] == pytest.approx(list(HOMBERG))
    assert (body["min_zoom"], body["max_zoom"], body["tile_type"]) == (12, 15, "mvt")
    assert body["tiles"] == "/basemap/{z}/{x}/{y}.mvt"


@pytest.mark.parametrize("path", ["/basemap/15/0/0.mvt", "/basemap/11/1066/680.mvt", "/basemap/16/34000/21700.mvt"])
def test_a_tile_outside_the_archive_is_404(client, basemap, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.data == b""


@pytest.mark.parametrize(("path", "status", "field"), [
    ("/basemap/15/-1/0.mvt", 400, "x"),
    ("/basemap/15/0/-3.mvt", 400, "y"),
    ("/basemap/31/0/0.mvt", 400, "z"),
    ("/basemap/-1/0/0.mvt", 400, "z"),
    ("/basemap/2/4/0.mvt", 404, "x"),
    ("/basemap/2/0/9.mvt", 404, "y"),
    ("/basemap/15/1/1.png", 404, "format"),
    ("/basemap/a/b/c.mvt", 404, "path"),
])
def test_bad_coordinates_are_4xx_json_naming_the_field(client, basemap, path, status, field):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] and body["message"] and field in body["fields"]


def test_without_a_basemap_the_routes_say_so(client):
    response = client.get("/basemap/metadata.json")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert client.get("/basemap/15/1/1.mvt").status_code == 404


def test_the_page_config_names_the_basemap_and_no_tile_host(client, basemap):
    page = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'id="mapapp-config">(.*?)</script>', page).group(1))
    assert config["tiles"]["url"] == ""
    assert config["tiles"]["basemap"] == {
        "url": "/basemap/{z}/{x}/{y}.mvt", "tile_type": "mvt", "bounds": [[51.43, 6.66], [51.48, 6.74]],
        "min_zoom": 12, "max_zoom": 15, "level_diff": 1,
    }
    assert "openstreetmap.org/{z}" not in page


def test_a_walk_area_lists_its_tiles_and_their_size(client, session, basemap):
    walk = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()
    response = client.get(f"/basemap/area/{code}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["zooms"] == [13, 17]
    assert body["count"] == len(body["tiles"]) > 0
    # Display zooms 13–17 read archive zooms 12–15 (one zoom up, deeper ones over-zoomed).
    zooms = {int(tile["url"].split("/")[2]) for tile in body["tiles"]}
    assert zooms == {12, 13, 14, 15}
    west, south, east, north = body["bounds"]
    assert west < BISMARCKPLATZ[1] < east and south < BISMARCKPLATZ[0] < north
    assert 0.01 < east - west < 0.03  # 500 m either side of the meeting point
    for tile in body["tiles"]:
        assert len(client.get(tile["url"], headers=GZIP).data) == tile["bytes"]
    assert body["bytes"] == sum(tile["bytes"] for tile in body["tiles"])


def test_an_unknown_walk_has_no_area(client, basemap):
    response = client.get("/basemap/area/nixda")
    assert response.status_code == 404 and "join_code" in response.get_json()["fields"]


def test_a_walk_area_spans_route_and_meeting_point(client, session, basemap):
    walk = make_walk(session)
    session.execute(text("UPDATE walks SET route = ST_GeomFromText('LINESTRING(6.6995 51.4565, 6.7200 51.4600)', 4326) "
                         "WHERE id = :id"), {"id": walk})
    session.commit()
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()
    west, south, east, north = client.get(f"/basemap/area/{code}").get_json()["bounds"]
    assert west < 6.6995 - 0.005 and east > 6.72 + 0.005
    assert south < 51.4565 - 0.003 and north > 51.46 + 0.003


def test_a_walk_without_route_or_meeting_point_stores_its_ortsteil(client, session, basemap):
    walk = make_walk(session, ortsteil_code=None)
    session.execute(text("""UPDATE walks SET meeting_point = NULL,
        ortsteil_id = (SELECT id FROM districts WHERE level = 'ortsteil' AND name = 'Alt-Homberg') WHERE id = :id"""),
        {"id": walk})
    session.commit()
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()
    body = client.get(f"/basemap/area/{code}").get_json()
    extent = session.execute(text("SELECT ST_XMin(geom), ST_XMax(geom) FROM districts "
                                  "WHERE level = 'ortsteil' AND name = 'Alt-Homberg'")).one()
    assert body["bounds"][0] == pytest.approx(extent[0]) and body["bounds"][2] == pytest.approx(extent[1])
    assert body["count"] > 0


def test_a_walk_with_no_place_at_all_has_no_area(client, session, basemap):
    walk = make_walk(session)
    session.execute(text("UPDATE walks SET meeting_point = NULL, ortsteil_id = NULL WHERE id = :id"), {"id": walk})
    session.commit()
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk}).scalar()
    response = client.get(f"/basemap/area/{code}")
    assert response.status_code == 404 and response.get_json()["fields"] == {"join_code": code}
