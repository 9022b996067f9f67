"""Findings land in the right district: with the default set and with the official one."""
import json

import pytest
from sqlalchemy import text

from mapapp import districts
from tests.factories import AFRIKA_SIEDLUNG, BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding


def districts_of(session, finding_id):
    return session.execute(text("""
        SELECT o.name, s.name FROM findings f
        LEFT JOIN districts o ON o.id = f.ortsteil_id
        LEFT JOIN districts s ON s.id = f.stadtbezirk_id WHERE f.id = :id"""), {"id": finding_id}).one()


@pytest.mark.parametrize("place, ortsteil, stadtbezirk", [
    (BISMARCKPLATZ, "Alt-Homberg", "Homberg/Ruhrort/Baerl"),
    (RHEINHAUSEN_MARKT, "Rheinhausen-Mitte", "Rheinhausen"),
    (AFRIKA_SIEDLUNG, "Buchholz", "Süd"),
    (HAUPTBAHNHOF, None, "Mitte"),
])
def test_default_districts_assign_the_walk_areas(session, place, ortsteil, stadtbezirk):
    assert districts_of(session, make_finding(session, *place)) == (ortsteil, stadtbezirk)


def test_default_set_is_marked_approximate_and_complete(session):
    rows = session.execute(text(
        "SELECT level, count(*), bool_and(approximate), bool_and(ST_IsValid(geom)) FROM districts GROUP BY level"
    )).all()
    assert sorted(rows) == [("ortsteil", 19, True, True), ("stadtbezirk", 7, True, True)]
    orphans = session.execute(text(
        "SELECT count(*) FROM districts WHERE level = 'ortsteil' AND parent_id IS NULL")).scalar()
    assert orphans == 0


def test_default_stadtbezirke_cover_the_official_city(session, geodata_ref):
    """No point inside Duisburg is refused: our outline covers the official one."""
    official = (geodata_ref / "duisburg_stadtbezirke.geojson").read_text()
    uncovered_m2 = session.execute(text("""
        WITH official AS (
            SELECT ST_Union(ST_GeomFromGeoJSON(f -> 'geometry')) AS g
            FROM json_array_elements(CAST(:fc AS json) -> 'features') AS f
        ), ours AS (SELECT ST_Union(geom) AS g FROM districts WHERE level = 'stadtbezirk')
        SELECT ST_Area(ST_Transform(ST_Difference(ST_SetSRID(official.g, 4326), ours.g), 25832))
        FROM official, ours
    """), {"fc": official}).scalar()
    assert uncovered_m2 < 1.0


def test_official_reference_points(session, official_districts):
    checks = json.loads((official_districts / "point_check.json").read_text())
    assert len(checks) >= 4
    for check in checks:
        finding_id = make_finding(session, check["lat"], check["lon"])
        expected = (check["ortsteil"][0].split(" ", 1)[1], check["stadtbezirk"][0].split(" ", 1)[1])
        assert districts_of(session, finding_id) == expected, check["point"]


def test_official_set_has_all_districts(session, official_districts):
    counts = dict(session.execute(text("SELECT level, count(*) FROM districts GROUP BY level")).all())
    assert counts == {"stadtbezirk": 7, "ortsteil": 46}
    parent = session.execute(text("""
        SELECT p.name FROM districts o JOIN districts p ON p.id = o.parent_id
        WHERE o.level = 'ortsteil' AND o.name = 'Kaßlerfeld'""")).scalar()
    assert parent == "Mitte"


def test_reimport_reassigns_existing_findings(session, official_districts):
    finding_id = make_finding(session, *HAUPTBAHNHOF)
    assert districts_of(session, finding_id) == ("Dellviertel", "Mitte")
    districts.load_default(session, replace=True)
    assert districts_of(session, finding_id) == (None, "Mitte")


def test_finding_moved_by_update_is_reassigned(session):
    finding_id = make_finding(session, *BISMARCKPLATZ)
    session.execute(text("UPDATE findings SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id"),
                    {"lat": RHEINHAUSEN_MARKT[0], "lon": RHEINHAUSEN_MARKT[1], "id": finding_id})
    session.commit()
    assert districts_of(session, finding_id) == ("Rheinhausen-Mitte", "Rheinhausen")
