"""The OGC API – Features feed as the city's GIS sees it: GDAL's own client, counts, CRS, filters, privacy."""
import json
import logging
import re
import urllib.request

import pytest
from sqlalchemy import text

from tests.conftest import make_app
from tests.ogc.conftest import (
    CONCERN_SUMMARY, CONCERN_TITLE, DESCRIPTION, FREE_TEXT_ANSWER, OLD, PUBLIC_MESSAGE, SECRETS, gdal_read, ogrinfo,
)

COLLECTIONS = ("findings", "concerns", "walks", "walk_routes", "districts")
EPSG_25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.load(answer)


def features_by_id(client, collection: str, **params) -> dict:
    answer = client.get(f"/ogc/collections/{collection}/items", query_string={"limit": 1000, **params})
    assert answer.status_code == 200, answer.text
    return {feature["id"]: feature for feature in answer.json["features"]}


def test_ogrinfo_lists_the_collections(feed_url, feed_data):
    listing = ogrinfo("-so", f"OAPIF:{feed_url}")
    for collection in COLLECTIONS:
        assert re.search(rf"^\d+: {collection} \(title: ", listing, re.M), listing
    assert "findings (title: Funde)" in listing


def test_ogrinfo_reads_every_feature_with_the_right_count_and_crs(feed_url, feed_data):
    expected = {"findings": len(feed_data["findings"]), "concerns": 1, "walks": 1, "walk_routes": 1,
                "districts": feed_data["districts"]}
    for collection, count in expected.items():
        summary = ogrinfo("-so", f"OAPIF:{feed_url}", collection)
        assert f"Feature Count: {count}" in summary, summary
        assert 'ID["EPSG",4326]' in summary
        features = ogrinfo("-al", "-q", f"OAPIF:{feed_url}", collection)
        assert features.count(f"OGRFeature({collection}):") == count, features


def test_ogrinfo_sees_no_personal_data_and_no_free_text(feed_url, feed_data):
    participant = feed_data["participant_id"]
    findings = ogrinfo("-al", "-q", f"OAPIF:{feed_url}", "findings")
    assert "category_label (String) = Leeres Ladenlokal" in findings
    assert "stadtbezirk (String) = Homberg/Ruhrort/Baerl" in findings
    everything = findings + "".join(ogrinfo("-al", "-q", f"OAPIF:{feed_url}", name) for name in COLLECTIONS[1:])
    for secret in (*SECRETS, str(participant), participant.hex, DESCRIPTION, CONCERN_TITLE, CONCERN_SUMMARY,
                   FREE_TEXT_ANSWER):
        assert secret not in everything, secret
    for field in ("participant", "nickname", "description", "summary", "join_code", "created_by"):
        assert f"{field} (" not in everything and f"{field}_id (" not in everything, field
    assert PUBLIC_MESSAGE in everything


def test_every_answer_leaves_out_personal_data_and_free_text(client, feed_data):
    participant = feed_data["participant_id"]
    paths = ["/ogc/", "/ogc/collections", "/ogc/openapi"]
    for collection in COLLECTIONS:
        base = f"/ogc/collections/{collection}"
        paths += [base, f"{base}/items?limit=1000", f"{base}/queryables", f"{base}/schema", f"{base}/items?f=csv"]
    paths.append(f"/ogc/collections/findings/items/{feed_data['findings'][0]}")
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text)
        for secret in (*SECRETS, str(participant), participant.hex, DESCRIPTION, CONCERN_TITLE, CONCERN_SUMMARY,
                       FREE_TEXT_ANSWER, "participant", "nickname", "join_code"):
            assert secret not in answer.text, (path, secret)
    finding = features_by_id(client, "findings")[str(feed_data["findings"][0])]["properties"]
    assert finding["attributes"] == {"ground_floor": "yes"}  # the list answer stays, the free text goes
    assert finding["status"] == "in_review"  # the concern's status
    assert "description" not in finding


def test_text_only_when_switched_on(app, feed_data):
    texts = make_app(app.config["SQLALCHEMY_DATABASE_URI"], OGC_INCLUDE_TEXT=True).test_client()
    findings = features_by_id(texts, "findings")
    first = findings[str(feed_data["findings"][0])]["properties"]
    assert first["description"] == DESCRIPTION
    assert first["attributes"] == {"note": FREE_TEXT_ANSWER, "ground_floor": "yes"}
    concern = features_by_id(texts, "concerns")[feed_data["concern_id"]]["properties"]
    assert (concern["title"], concern["summary"], concern["public_message"]) == (
        CONCERN_TITLE, CONCERN_SUMMARY, PUBLIC_MESSAGE)
    every = texts.get("/ogc/collections/findings/items").text + texts.get("/ogc/collections/concerns/items").text
    participant = feed_data["participant_id"]
    for secret in (*SECRETS, str(participant), participant.hex):
        assert secret not in every


def test_switched_off_by_anything_but_an_explicit_yes(app, feed_data):
    for value in (False, "false", "0", "no", ""):
        client = make_app(app.config["SQLALCHEMY_DATABASE_URI"], OGC_INCLUDE_TEXT=value).test_client()
        assert DESCRIPTION not in client.get("/ogc/collections/findings/items").text, value


def test_concerns_carry_their_counts_and_public_message(client, feed_data):
    concern = features_by_id(client, "concerns")[feed_data["concern_id"]]["properties"]
    assert concern["status"] == "in_review"
    assert concern["public_message"] == PUBLIC_MESSAGE
    assert (concern["findings_count"], concern["people"]) == (1, 1)
    assert "title" not in concern and "summary" not in concern


def test_crs_25832_through_gdal_and_http(client, session, feed_url, feed_data):
    finding_id = feed_data["findings"][0]
    easting, northing = session.execute(text(
        "SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(geom, 25832) AS g FROM findings WHERE id = :id) x"
    ), {"id": finding_id}).one()
    answer = client.get(f"/ogc/collections/findings/items/{finding_id}", query_string={"crs": EPSG_25832})
    assert answer.status_code == 200
    assert answer.headers["Content-Crs"] == f"<{EPSG_25832}>"
    assert answer.json["geometry"]["coordinates"] == pytest.approx([easting, northing], abs=0.01)
    assert EPSG_25832 in client.get("/ogc/collections/findings").json["crs"]
    read = gdal_read(feed_url, "findings", "EPSG:25832")  # GDAL asks the server for EPSG:25832
    assert read["crs"] == "EPSG:25832" and len(read["points"]) == len(feed_data["findings"])
    assert read["points"][str(finding_id)] == pytest.approx([easting, northing], abs=0.01)


def test_bbox_filters_server_side(client, session, feed_url, feed_data):
    xmin, ymin, xmax, ymax = session.execute(text(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
        "(SELECT ST_Extent(geom) AS e FROM districts WHERE name = 'Baerl') x")).one()
    bbox = f"{xmin},{ymin},{xmax},{ymax}"
    assert client.get(f"/ogc/collections/findings/items?bbox={bbox}").json["numberMatched"] == 2
    summary = ogrinfo("-so", "-spat", str(xmin), str(ymin), str(xmax), str(ymax), f"OAPIF:{feed_url}", "findings")
    assert "Feature Count: 2" in summary
    # the same box in EPSG:25832 (bbox-crs)
    box = session.execute(text(
        "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM (SELECT ST_Transform(ST_Expand("
        "ST_Transform(ST_PointOnSurface(geom), 25832), 300), 25832) AS b FROM districts WHERE name = 'Baerl') x"
    )).one()
    answer = client.get("/ogc/collections/findings/items", query_string={
        "bbox": ",".join(map(str, box)), "bbox-crs": EPSG_25832})
    assert answer.status_code == 200 and answer.json["numberMatched"] == 2


def test_datetime_filters(client, feed_data):
    def matched(value):
        answer = client.get("/ogc/collections/findings/items", query_string={"datetime": value})
        assert answer.status_code == 200, answer.text
        return answer.json["numberMatched"]

    assert matched("../2026-04-01T00:00:00Z") == 2
    assert matched("2026-04-01T00:00:00Z/..") == 2
    assert matched("2026-02-01T00:00:00Z/2026-03-31T00:00:00Z") == 2
    assert matched(OLD.isoformat()) == 2
    assert matched("2020-01-01T00:00:00Z/2020-12-31T00:00:00Z") == 0
    walks = client.get("/ogc/collections/walks/items", query_string={"datetime": "2026-09-01T00:00:00Z/.."})
    assert walks.json["numberMatched"] == 1


def test_limit_and_offset_page_through_with_next_links(feed_url, feed_data):
    seen, url = [], f"{feed_url}/collections/findings/items?limit=3&f=json"
    while url:
        page = get_json(url)
        assert page["numberMatched"] == 4
        seen += [feature["id"] for feature in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert sorted(seen) == sorted(str(i) for i in feed_data["findings"])


def test_properties_come_in_the_views_order(client, feed_data):
    properties = list(client.get("/ogc/collections/findings/items?limit=1").json["features"][0]["properties"])
    assert properties[:4] == ["category", "category_label", "status", "urgency"]
    assert properties[-1] == "attributes"


@pytest.mark.parametrize("query, status", [
    ("collections/findings/items/not-a-uuid", 404),
    ("collections/districts/items/not-a-number", 404),
    ("collections/findings/items/00000000-0000-0000-0000-000000000000", 404),
    ("collections/nothing/items", 404),
    ("collections/findings/items?urgency=high", 400),
    ("collections/findings/items?id=x", 400),
    ("collections/findings/items?filter=urgency%3D'x'", 400),
    ("collections/findings/items?filter=((", 400),
    ("collections/findings/items?datetime=yesterday", 400),
    ("collections/findings/items?datetime=99999999999999999999", 400),
    ("collections/districts/items?datetime=2026-01-01T00:00:00Z", 400),
    ("collections/findings/items?bbox=1,2,3", 400),
    ("collections/findings/items?limit=0", 400),
    ("collections/findings/items?offset=-1", 400),
    ("collections/findings/items?offset=99999999999999999999999", 400),
    ("collections/findings/items?crs=EPSG:9999", 400),
    ("collections/findings/items?properties=description", 400),
    ("collections/findings/items?f=xml", 400),
    ("collections/findings/items?f=html", 400),
])
def test_bad_parameters_are_4xx_in_the_ogc_format(client, feed_data, query, status):
    answer = client.get(f"/ogc/{query}")
    assert answer.status_code == status, answer.text
    assert answer.json["code"] and answer.json["description"]


def test_a_browser_is_sent_to_the_json(client):
    answer = client.get("/ogc/collections?lang=de", headers={"Accept": "text/html"})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/ogc/collections?lang=de&f=json")


def test_no_writes(client, feed_data):
    item = f"/ogc/collections/findings/items/{feed_data['findings'][0]}"
    assert client.delete(item).status_code == 405
    assert client.put(item, json={}).status_code == 405
    assert client.post("/ogc/collections/findings/items", json={}).status_code == 405


def test_titles_in_the_clients_language(client):
    assert client.get("/ogc/collections/findings").json["title"] == "Funde"
    english = client.get("/ogc/collections/findings", headers={"Accept-Language": "en"})
    assert english.json["title"] == "Findings"
    assert english.headers["Content-Language"] == "en"


@pytest.fixture
def passed_on():
    """The records the feed passes on from pygeoapi to mapapp's ``mapapp.ogc`` logger. (pytest itself
    also hooks a handler into every non-propagating logger, so caplog would see pygeoapi's records.)"""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("mapapp.ogc")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_a_clients_mistake_logs_no_error(client, feed_data, passed_on):
    """pygeoapi logs each error answer with a traceback; the feed passes its records on for 5xx only."""
    assert client.get("/ogc/collections/findings/items?urgency=high").status_code == 400
    assert client.get("/ogc/collections/findings/items/not-a-uuid").status_code == 404
    assert passed_on == []


def test_a_server_error_is_logged_with_pygeoapis_records(client, monkeypatch, passed_on):
    from pygeoapi.provider.base import ProviderConnectionError

    from mapapp.ogc.provider import PublicViewProvider

    def down(self, **kwargs):
        raise ProviderConnectionError("database unreachable")

    monkeypatch.setattr(PublicViewProvider, "query", down)
    assert client.get("/ogc/collections/findings/items").status_code == 500
    assert [r.levelname for r in passed_on if r.name.startswith("pygeoapi")] == ["ERROR"]
