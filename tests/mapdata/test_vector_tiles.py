"""GET /tiles/findings/{z}/{x}/{y}.mvt: one `findings` layer, aggregates zoomed out, findings zoomed in."""
import mapbox_vector_tile
import pytest

from tests.factories import BISMARCKPLATZ
from tests.mapdata.conftest import tile_of

MVT = "application/vnd.mapbox-vector-tile"


def tile(client, z, lat, lon, **params):
    x, y, _, _ = tile_of(lat, lon, z)
    response = client.get(f"/tiles/findings/{z}/{x}/{y}.mvt", query_string=params)
    assert response.status_code == 200
    assert response.mimetype == MVT
    return mapbox_vector_tile.decode(response.data) if response.data else {}


def test_zoomed_in_one_feature_per_finding_at_its_pixel(client, places):
    decoded = tile(client, 16, *BISMARCKPLATZ)
    layer = decoded["findings"]
    assert layer["extent"] == 4096
    features = {f["properties"]["id"]: f for f in layer["features"]}
    assert len(features) == 3
    noise = features[str(places["noise"])]
    assert noise["properties"] == {"id": str(places["noise"]), "category": "noise", "status": "confirmed"}
    _, _, fx, fy = tile_of(BISMARCKPLATZ[0], BISMARCKPLATZ[1] + 0.0003, 16)
    px, py = noise["geometry"]["coordinates"]
    assert 0 <= px < 4096 and 0 <= py < 4096
    # mapbox-vector-tile flips y to point up by default
    assert (px, py) == pytest.approx((fx * 4096, (1 - fy) * 4096), abs=2)


def test_zoomed_out_points_carry_counts(client, places):
    decoded = tile(client, 10, *BISMARCKPLATZ)
    counts = sorted((f["properties"] for f in decoded["findings"]["features"]), key=lambda p: -p["count"])
    assert sum(p["count"] for p in counts) == 6
    assert counts[0] == {"count": 3, "empty_shop": 2, "noise": 1}


@pytest.mark.parametrize("params, expected, zoomed_in", [
    ({"category": "empty_shop"}, 2, 2), ({"status": "confirmed"}, 1, 1), ({"walk": None}, 2, 2),
    ({"district": "5"}, 2, 0), ({"category": "litter"}, 3, 0),
])
def test_filters_apply_to_tiles(client, places, params, expected, zoomed_in):
    if "walk" in params:
        params = {"walk": str(places["walk"])}
    low = tile(client, 10, *BISMARCKPLATZ, **params)["findings"]["features"]
    assert sum(f["properties"]["count"] for f in low) == expected
    high = tile(client, 16, *BISMARCKPLATZ, **params)  # Bismarckplatz only
    assert len(high.get("findings", {}).get("features", [])) == zoomed_in


def test_empty_tile_is_an_empty_200(client, places):
    response = client.get("/tiles/findings/16/0/0.mvt")
    assert response.status_code == 200 and response.data == b""
    assert response.mimetype == MVT


def test_unchanged_tile_is_304(client, places):
    x, y, _, _ = tile_of(*BISMARCKPLATZ, 14)
    first = client.get(f"/tiles/findings/14/{x}/{y}.mvt")
    again = client.get(f"/tiles/findings/14/{x}/{y}.mvt", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path, field", [("/tiles/findings/3/8/0.mvt", "x"), ("/tiles/findings/3/0/8.mvt", "y")])
def test_tiles_beyond_the_zooms_grid_are_404(client, path, field):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.get_json()["fields"]) == {field}


@pytest.mark.parametrize("path, field", [
    ("/tiles/findings/23/0/0.mvt", "z"), ("/tiles/findings/-1/0/0.mvt", "z"), ("/tiles/findings/3/-1/0.mvt", "x"),
    ("/tiles/findings/10/531/340.mvt?category=unicorns", "category"),
    ("/tiles/findings/10/531/340.mvt?from=gestern", "from"),
])
def test_invalid_tiles_are_422(client, path, field):
    response = client.get(path)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
