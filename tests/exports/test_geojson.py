"""GeoJSON export: an RFC 7946 FeatureCollection in lon/lat, filtered, with umlauts intact."""
import json

from sqlalchemy import text

from tests.exports.helpers import export_bytes, finding_in, make_concern


def read(session, **selection) -> dict:
    return json.loads(export_bytes(session, "geojson", **selection).decode("utf-8"))


def test_feature_collection_in_wgs84_even_for_25832(session):
    finding_id = finding_in(session, "Ruhrort", description="Kein Café mehr, nur Leerstand")
    collection = read(session, srid=25832)
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    [feature] = collection["features"]
    assert feature["type"] == "Feature" and feature["id"] == str(finding_id)
    lon, lat = feature["geometry"]["coordinates"]
    assert 6.6 < lon < 6.9 and 51.3 < lat < 51.6
    props = feature["properties"]
    assert props["kind"] == "finding"
    assert props["ortsteil"] == "Ruhrort"
    assert props["stadtbezirk"] == "Homberg/Ruhrort/Baerl"
    assert props["description"] == "Kein Café mehr, nur Leerstand"
    assert abs(props["lat"] - lat) < 1e-6 and abs(props["lon"] - lon) < 1e-6
    assert 300000 < props["easting"] < 360000 and 5680000 < props["northing"] < 5730000


def test_easting_northing_transform_back_into_the_district(session):
    finding_in(session, "Baerl")
    [feature] = read(session)["features"]
    props = feature["properties"]
    inside = session.execute(text("""
        SELECT ST_Covers(d.geom, ST_Transform(ST_SetSRID(ST_MakePoint(:e, :n), 25832), 4326))
        FROM districts d WHERE d.name = 'Baerl'
    """), {"e": props["easting"], "n": props["northing"]}).scalar()
    assert inside is True


def test_filters_count(session):
    finding_in(session, "Baerl", category="empty_shop")
    finding_in(session, "Ruhrort", category="empty_shop")
    finding_in(session, "Rheinhausen-Mitte", category="empty_shop")
    assert len(read(session)["features"]) == 3
    assert len(read(session, district="Homberg/Ruhrort/Baerl")["features"]) == 2
    assert len(read(session, district="4")["features"]) == 2
    assert len(read(session, district="404")["features"]) == 1
    assert len(read(session, categories=["nope"])["features"]) == 0
    assert len(read(session, statuses=["new"])["features"]) == 3
    assert len(read(session, statuses=["resolved"])["features"]) == 0


def test_no_text_leaves_descriptions_out(session):
    finding_in(session, "Baerl", description="Privates Detail")
    [feature] = read(session, include_text=False)["features"]
    assert feature["properties"]["description"] is None
    assert b"Privates Detail" not in export_bytes(session, "geojson", include_text=False)


def test_concerns_and_both_have_kind(session):
    finding_in(session, "Baerl")
    make_concern(session, "Ruhrort", title="Leerstand Kaßlerfeld-Nähe")
    kinds = [f["properties"]["kind"] for f in read(session, what="both")["features"]]
    assert kinds == ["finding", "concern"]
    [concern] = read(session, what="concerns")["features"]
    assert concern["properties"]["title"] == "Leerstand Kaßlerfeld-Nähe"
    assert concern["properties"]["ortsteil"] == "Ruhrort"


def test_empty_collection_is_valid_json(session):
    assert read(session) == {"type": "FeatureCollection", "features": []}


def test_walk_date_and_photo_options(session):
    from tests.factories import make_walk

    walk_id = make_walk(session)
    on_walk = finding_in(session, "Alt-Homberg", walk_id=walk_id)
    finding_in(session, "Baerl")
    session.execute(text("""
        INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, position)
        VALUES (gen_random_uuid(), :f, repeat('a', 64), repeat('b', 64), 800, 600, 0)
    """), {"f": on_walk})
    session.execute(text("UPDATE findings SET created_at = '2026-03-01T12:00:00+01' WHERE id <> :f"), {"f": on_walk})
    session.commit()
    [feature] = read(session, walk_id=str(walk_id), include_photos=True)["features"]
    assert feature["properties"]["walk"] == "Ortsbegehung Alt-Homberg"
    [photo] = feature["properties"]["photos"]
    assert photo["sha256"] == "b" * 64 and photo["width"] == 800
    assert read(session, walk_id=str(walk_id))["features"][0]["properties"]["photos"] is None
    from datetime import date

    march = read(session, date_from=date(2026, 3, 1), date_to=date(2026, 3, 1))["features"]
    assert [f["properties"]["ortsteil"] for f in march] == ["Baerl"]
    assert len(read(session, date_from=date(2026, 3, 2))["features"]) == 1


def test_concerns_filtered_by_walk_through_their_findings(session):
    from tests.factories import make_walk

    walk_id = make_walk(session)
    finding_id = finding_in(session, "Alt-Homberg", walk_id=walk_id)
    linked = make_concern(session, "Alt-Homberg", title="Mit Fund")
    make_concern(session, "Baerl", title="Ohne Fund")
    session.execute(text("UPDATE findings SET concern_id = CAST(:c AS uuid) WHERE id = :f"),
                    {"c": linked, "f": finding_id})
    session.commit()
    [concern] = read(session, what="concerns", walk_id=str(walk_id))["features"]
    assert concern["id"] == linked and concern["properties"]["findings_count"] == 1
