"""The walk domain functions: validation in PostGIS and the JSON-ready walk description."""
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from mapapp.errors import NotFound, ValidationFailed
from mapapp.walks.editing import WalkData, create_walk, update_walk, walk_detail
from tests.factories import AMSTERDAM, BISMARCKPLATZ, make_walk

ROUTE = {"type": "LineString", "coordinates": [[6.6995, 51.4565], [6.7030, 51.4580], [6.7050, 51.4600]]}
START = datetime(2026, 9, 12, 8, 0, tzinfo=timezone.utc)


def walk(**overrides) -> dict:
    data = {"title": "Begehung", "meeting_lat": BISMARCKPLATZ[0], "meeting_lon": BISMARCKPLATZ[1],
            "starts_at": START, "route": ROUTE, "categories": ["noise", "litter"]}
    data.update(overrides)
    return data


def test_walk_detail(session):
    walk_id = create_walk(session, walk(topic="Lärm"), None)
    detail = walk_detail(session, walk_id)
    assert detail["id"] == str(walk_id) and detail["title"] == "Begehung" and detail["topic"] == "Lärm"
    assert detail["starts_at"].startswith("2026-09-12T08:00:00") and detail["ends_at"] is None
    assert (detail["ortsteil"], detail["ortsteil_code"]) == ("Alt-Homberg", "402")
    assert (detail["stadtbezirk"], detail["stadtbezirk_code"]) == ("Homberg/Ruhrort/Baerl", "4")
    assert detail["meeting_point"] == {"type": "Point", "coordinates": [BISMARCKPLATZ[1], BISMARCKPLATZ[0]]}
    assert detail["route"] == ROUTE
    assert detail["categories"] == session.execute(text(
        "SELECT slug FROM categories WHERE slug IN ('litter', 'noise') ORDER BY sort, slug")).scalars().all()
    assert len(detail["join_code"]) == 8
    assert walk_detail(session, detail["join_code"]) == detail
    assert walk_detail(session, str(walk_id)) == detail


def test_bounds_cover_route_meeting_point_and_ortsteil(session):
    walk_id = create_walk(session, walk(), None)
    (south, west), (north, east) = walk_detail(session, walk_id)["bounds"]
    ortsteil = session.execute(text("""
        SELECT ST_YMin(geom::box2d), ST_XMin(geom::box2d), ST_YMax(geom::box2d), ST_XMax(geom::box2d)
        FROM districts WHERE level = 'ortsteil' AND code = '402'""")).one()
    assert south < ortsteil[0] and west < ortsteil[1] and north > ortsteil[2] and east > ortsteil[3]
    for lon, lat in ROUTE["coordinates"]:
        assert south < lat < north and west < lon < east
    assert north - ortsteil[2] == pytest.approx(100 / 111_200, rel=0.2)  # the 100 m margin


def test_walk_without_listed_categories_offers_all_active_ones(session):
    walk_id = make_walk(session)
    offered = walk_detail(session, walk_id)["categories"]
    active = session.execute(text("SELECT slug FROM categories WHERE active ORDER BY sort, slug")).scalars().all()
    assert offered == active and walk_detail(session, walk_id)["route"] is None


def test_refusals_name_every_wrong_field(session):
    outside_route = {"type": "LineString", "coordinates": [[6.6995, 51.4565], [AMSTERDAM[1], AMSTERDAM[0]]]}
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, walk(title="", route=outside_route, categories=["no_such"],
                                  ends_at=START.replace(hour=7)), None)
    assert set(err.value.fields) == {"title", "route", "categories", "ends_at"}
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, walk(meeting_lat=AMSTERDAM[0], meeting_lon=AMSTERDAM[1]), None)
    assert set(err.value.fields) == {"meeting_point"}
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, walk(route={"type": "Point", "coordinates": [6.7, 51.4]}, district="ortsteil:999"), None)
    assert set(err.value.fields) == {"route", "district"}
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, walk(starts_at=datetime(2026, 9, 12, 10)), None)
    assert set(err.value.fields) == {"starts_at"}
    assert session.execute(text("SELECT count(*) FROM walks")).scalar() == 0


def test_meeting_point_name(session):
    walk_id = create_walk(session, walk(meeting_point_name=" Bismarckplatz, vor dem Rathaus "), None)
    assert walk_detail(session, walk_id)["meeting_point_name"] == "Bismarckplatz, vor dem Rathaus"
    update_walk(session, walk_id, walk(meeting_point_name="   "))
    assert walk_detail(session, walk_id)["meeting_point_name"] is None
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, walk(meeting_point_name="x" * 201), None)
    assert set(err.value.fields) == {"meeting_point_name"}


def test_update_walk_keeps_id_and_join_code(session):
    walk_id = create_walk(session, walk(), None)
    code = walk_detail(session, walk_id)["join_code"]
    update_walk(session, walk_id, WalkData(title="Neu", meeting_lat=51.4018, meeting_lon=6.7128, categories=[]))
    detail = walk_detail(session, walk_id)
    assert (detail["title"], detail["join_code"], detail["stadtbezirk"]) == ("Neu", code, "Rheinhausen")
    assert detail["route"] is None and len(detail["categories"]) > 2
    with pytest.raises(NotFound):
        update_walk(session, uuid.uuid4(), walk())


def test_unknown_walk(session):
    with pytest.raises(NotFound):
        walk_detail(session, "nichtda1")
    with pytest.raises(NotFound):
        walk_detail(session, uuid.uuid4())
