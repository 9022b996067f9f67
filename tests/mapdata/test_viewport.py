"""GET /api/viewport: aggregate cells zoomed out, compact findings zoomed in, filters, caching, 422s."""
import json

import pytest

from tests.factories import BISMARCKPLATZ, make_finding
from tests.mapdata.conftest import NORTH_VIEW

HOMBERG_VIEW = "6.6950,51.4540,6.7040,51.4590"  # ~600 m around Bismarckplatz


def view(client, **params):
    response = client.get("/api/viewport", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_cells_count_the_findings_in_the_bbox_per_category(client, places):
    body = view(client, bbox=NORTH_VIEW, zoom=13)
    assert body["type"] == "FeatureCollection" and body["mode"] == "cells"
    assert body["total"] == 5  # Rheinhausen lies outside the view
    cells = sorted((f["properties"] for f in body["features"]), key=lambda p: -p["count"])
    assert [c["count"] for c in cells] == [3, 2]
    assert cells[0] == {"kind": "cell", "count": 3, "counts": {"empty_shop": 2, "noise": 1}}
    assert cells[1]["counts"] == {"litter": 2}
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx((BISMARCKPLATZ[0] + 0.0001, BISMARCKPLATZ[1] + 0.0001), abs=1e-5)


def test_a_bbox_edge_between_two_findings_counts_exactly(client, session, places):
    """The view's edge cuts through a grid cell: only the findings inside it count."""
    make_finding(session, 51.4700, 6.7000, category="lighting")
    make_finding(session, 51.4700, 6.7010, category="lighting")
    body = view(client, bbox="6.60,51.42,6.7005,51.50", zoom=12)
    assert body["total"] == 4
    assert sum(f["properties"]["counts"].get("lighting", 0) for f in body["features"]) == 1


@pytest.mark.parametrize("params, expected", [
    ({"category": "empty_shop"}, 2),
    ({"category": "litter,noise"}, 3),
    ({"district": "Alt-Homberg"}, 3),
    ({"district": "5"}, 2),
    ({"status": "confirmed"}, 1),
    ({"status": "new"}, 4),
    ({"from": "2026-02-01", "to": "2026-03-01"}, 1),
    ({"to": "2026-02-28"}, 0),
])
def test_filters(client, places, params, expected):
    for zoom in (13, 16):
        bbox = NORTH_VIEW if zoom == 13 else "6.69,51.42,6.79,51.46"  # cells, then findings
        body = view(client, bbox=bbox, zoom=zoom, **params)
        assert body["mode"] == ("cells" if zoom == 13 else "findings")
        assert body["total"] == expected, zoom


def test_walk_filter(client, places):
    assert view(client, bbox=NORTH_VIEW, zoom=13, walk=str(places["walk"]))["total"] == 2
    assert view(client, bbox=HOMBERG_VIEW, zoom=17, walk=str(places["walk"]))["total"] == 2


def test_zoomed_in_it_answers_compact_findings(client, places):
    body = view(client, bbox=HOMBERG_VIEW, zoom=17)
    assert body["mode"] == "findings" and body["total"] == 3
    feature = next(f for f in body["features"] if f["id"] == str(places["noise"]))
    assert feature["properties"] == {"kind": "finding", "id": str(places["noise"]), "category": "noise",
                                     "status": "confirmed", "icon": "🔊"}
    lon, lat = feature["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx((BISMARCKPLATZ[0], BISMARCKPLATZ[1] + 0.0003), abs=1e-6)
    assert all(len(str(c).split(".")[1]) <= 6 for c in (lon, lat))


def test_too_many_findings_in_view_give_cells_even_zoomed_in(app, client, places):
    app.config["VIEWPORT_FINDINGS_LIMIT"] = 2
    try:
        body = view(client, bbox=HOMBERG_VIEW, zoom=17)
    finally:
        del app.config["VIEWPORT_FINDINGS_LIMIT"]
    assert body["mode"] == "cells" and body["total"] == 3


def test_body_is_the_sql_text_with_caching_headers(client, places):
    response = client.get("/api/viewport", query_string={"bbox": NORTH_VIEW, "zoom": 13})
    assert response.mimetype == "application/geo+json"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert json.loads(response.get_data(as_text=True))["mode"] == "cells"


def test_unchanged_view_is_304_and_a_new_finding_changes_the_etag(client, session, places):
    params = {"bbox": NORTH_VIEW, "zoom": 13}
    first = client.get("/api/viewport", query_string=params)
    etag = first.headers["ETag"]
    again = client.get("/api/viewport", query_string=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get("/api/viewport", query_string=params,
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    make_finding(session, *BISMARCKPLATZ, category="barrier")
    changed = client.get("/api/viewport", query_string=params, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["total"] == 6


@pytest.mark.parametrize("params, field", [
    ({"zoom": 13}, "bbox"),
    ({"bbox": "a,b,c,d", "zoom": 13}, "bbox"),
    ({"bbox": "6.8,51.4,6.7,51.5", "zoom": 13}, "bbox"),
    ({"bbox": "6.7,51.4,6.8", "zoom": 13}, "bbox"),
    ({"bbox": "-170,-80,170,80", "zoom": 12}, "bbox"),
    ({"bbox": NORTH_VIEW}, "zoom"),
    ({"bbox": NORTH_VIEW, "zoom": "x"}, "zoom"),
    ({"bbox": NORTH_VIEW, "zoom": 23}, "zoom"),
    ({"bbox": NORTH_VIEW, "zoom": 13, "from": "2026-13-01"}, "from"),
    ({"bbox": NORTH_VIEW, "zoom": 13, "from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ({"bbox": NORTH_VIEW, "zoom": 13, "category": "unicorns"}, "category"),
    ({"bbox": NORTH_VIEW, "zoom": 13, "status": "bogus"}, "status"),
    ({"bbox": NORTH_VIEW, "zoom": 13, "walk": "not-a-uuid"}, "walk"),
])
def test_bad_parameters_are_422_naming_the_field(client, params, field):
    response = client.get("/api/viewport", query_string=params)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
