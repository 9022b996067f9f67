"""One district lookup: a finding and a walk at the same place get the same Ortsteil and Stadtbezirk.

The findings trigger and both ways of storing a walk (``listing.upsert_walk`` and the
organiser's ``editing.create_walk``) ask the database function ``mapapp_districts_at``
(migration 0014); no other SQL in ``mapapp/`` looks districts up by geometry.
"""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from mapapp.errors import ValidationFailed
from mapapp.walks.editing import create_walk
from tests.factories import AFRIKA_SIEDLUNG, BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding, make_walk

MAPAPP = Path(__file__).resolve().parents[2] / "mapapp"


def shared_border_vertex(session):
    """A boundary vertex of one Ortsteil that another Ortsteil covers too: on their common border."""
    return session.execute(text("""
        SELECT ST_Y(p.geom), ST_X(p.geom)
        FROM districts a, ST_DumpPoints(a.geom) AS p, districts b
        WHERE a.level = 'ortsteil' AND b.level = 'ortsteil' AND b.id <> a.id AND ST_Covers(b.geom, p.geom)
        ORDER BY a.id, p.path LIMIT 1""")).one()


def stored(session, table, row_id):
    return session.execute(text(f"SELECT ortsteil_id, stadtbezirk_id FROM {table} WHERE id = :id"),
                           {"id": row_id}).one()


def looked_up(session, lat, lon):
    return session.execute(text("SELECT ortsteil_id, stadtbezirk_id FROM mapapp_districts_at("
                                "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"), {"lat": lat, "lon": lon}).one()


@pytest.mark.parametrize("place", [BISMARCKPLATZ, RHEINHAUSEN_MARKT, AFRIKA_SIEDLUNG, HAUPTBAHNHOF, "border"])
def test_a_finding_and_a_walk_at_the_same_place_get_the_same_districts(session, place):
    lat, lon = shared_border_vertex(session) if place == "border" else place
    expected = looked_up(session, lat, lon)
    assert expected.ortsteil_id is not None and expected.stadtbezirk_id is not None
    finding = make_finding(session, lat, lon)
    listed_walk = make_walk(session, lat=lat, lon=lon)
    edited_walk = create_walk(session, {"title": "Begehung", "meeting_lat": lat, "meeting_lon": lon}, None)
    assert stored(session, "findings", finding) == expected
    assert stored(session, "walks", listed_walk) == expected
    assert stored(session, "walks", edited_walk) == expected


def test_a_line_finding_is_placed_by_its_midpoint(session):
    lat, lon = BISMARCKPLATZ
    line = {"type": "LineString", "coordinates": [[lon - 0.001, lat], [lon + 0.001, lat]]}
    finding = make_finding(session, geometry=json.dumps(line))
    assert stored(session, "findings", finding) == looked_up(session, lat, lon)


def test_a_chosen_district_wins_over_the_meeting_point(session):
    ortsteil, stadtbezirk = session.execute(text("""
        SELECT o.id, o.parent_id FROM districts o WHERE o.level = 'ortsteil' AND o.code = '402'""")).one()
    lat, lon = RHEINHAUSEN_MARKT  # elsewhere: the choice, not the point, decides
    listed = make_walk(session, lat=lat, lon=lon, ortsteil_code="402")
    edited = create_walk(session, {"title": "B", "meeting_lat": lat, "meeting_lon": lon,
                                   "district": "ortsteil:402"}, None)
    assert stored(session, "walks", listed) == stored(session, "walks", edited) == (ortsteil, stadtbezirk)


def test_an_unknown_stadtbezirk_is_refused_not_replaced_by_the_meeting_points(session):
    lat, lon = BISMARCKPLATZ
    with pytest.raises(ValidationFailed) as err:
        create_walk(session, {"title": "B", "meeting_lat": lat, "meeting_lon": lon,
                              "district": "stadtbezirk:999"}, None)
    assert set(err.value.fields) == {"district"}


def test_no_other_sql_looks_districts_up_by_geometry():
    """Only the districts package itself (linking each Ortsteil to its Stadtbezirk) reads boundaries so."""
    lookup = re.compile(r"level\s*=\s*'(ortsteil|stadtbezirk)'\s+AND\s+ST_Covers\(", re.I)
    found = [str(p.relative_to(MAPAPP)) for p in MAPAPP.rglob("*.py")
             if p.parent.name != "districts" and lookup.search(p.read_text())]
    assert found == []
