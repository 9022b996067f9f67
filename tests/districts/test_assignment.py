"""Findings land in the right district: with the default set and with the official one."""
import json

import pytest
from sqlalchemy import text

from mapapp.districts import boundaries as districts
from tests.factories import AFRIKA_SIEDLUNG, BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding

# Points more than 700 m from any official Ortsteil boundary, in the Stadtbezirke whose
# Ortsteile the default set once lacked.
ALT_WALSUM = (51.5388, 6.6966)
MARXLOH = (51.5012, 6.7443)
OBERMEIDERICH = (51.4682, 6.8046)
# Official: Mittelmeiderich; the default set's generalised edge puts it in Untermeiderich.
WHERE_THE_SETS_DISAGREE = (51.47225, 6.76645)


def districts_of(session, finding_id):
    return session.execute(text("""
        SELECT o.name, s.name FROM findings f
        LEFT JOIN districts o ON o.id = f.ortsteil_id
        LEFT JOIN districts s ON s.id = f.stadtbezirk_id WHERE f.id = :id"""), {"id": finding_id}).one()


@pytest.mark.parametrize("place, ortsteil, stadtbezirk", [
    (BISMARCKPLATZ, "Alt-Homberg", "Homberg/Ruhrort/Baerl"),
    (RHEINHAUSEN_MARKT, "Rheinhausen-Mitte", "Rheinhausen"),
    (AFRIKA_SIEDLUNG, "Buchholz", "Süd"),
    (HAUPTBAHNHOF, "Dellviertel", "Mitte"),
    (ALT_WALSUM, "Alt-Walsum", "Walsum"),
    (MARXLOH, "Marxloh", "Hamborn"),
    (OBERMEIDERICH, "Obermeiderich", "Meiderich/Beeck"),
])
def test_default_districts_assign_the_walk_areas(session, place, ortsteil, stadtbezirk):
    assert districts_of(session, make_finding(session, *place)) == (ortsteil, stadtbezirk)


def test_default_set_is_marked_approximate_and_complete(session):
    rows = session.execute(text(
        "SELECT level, count(*), bool_and(approximate), bool_and(ST_IsValid(geom)) FROM districts GROUP BY level"
    )).all()
    assert sorted(rows) == [("ortsteil", 46, True, True), ("stadtbezirk", 7, True, True)]
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


def test_default_ortsteile_hold_the_official_representative_points(session, geodata_ref):
    """Each official Ortsteil's ST_PointOnSurface gets that Ortsteil from the default set,
    unless the point lies within 200 m of the official boundary (the default set is
    generalised to about 150 m); every point gets some Ortsteil and its Stadtbezirk."""
    official = (geodata_ref / "duisburg_ortsteile.geojson").read_text()
    rows = session.execute(text("""
        WITH official AS (
            SELECT f -> 'properties' ->> 'ot_nr' AS code, f -> 'properties' ->> 'stb_nr' AS parent_code,
                   ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326) AS geom
            FROM json_array_elements(CAST(:fc AS json) -> 'features') AS f
        ), probe AS (
            SELECT code, parent_code, ST_PointOnSurface(geom) AS pt,
                   ST_Distance(ST_Transform(ST_PointOnSurface(geom), 25832),
                               ST_Transform(ST_Boundary(geom), 25832)) AS edge_m
            FROM official
        )
        SELECT p.code, p.parent_code, p.edge_m, o.code, s.code
        FROM probe p
        LEFT JOIN districts o ON o.level = 'ortsteil' AND ST_Covers(o.geom, p.pt)
        LEFT JOIN districts s ON s.id = o.parent_id
        ORDER BY p.code
    """), {"fc": official}).all()
    assert len(rows) == 46 and len({row[0] for row in rows}) == 46
    wrong = [(code, ours, round(edge_m)) for code, _, edge_m, ours, _ in rows if edge_m > 200 and ours != code]
    assert wrong == []
    assert [code for code, parent_code, _, _, ours_parent in rows if ours_parent != parent_code] == []
    assert sum(edge_m > 200 for _, _, edge_m, _, _ in rows) >= 40


def test_load_default_replace_gives_old_findings_their_new_ortsteil(app, session):
    """An install with the old default set (Ortsteile only in Stadtbezirke 4, 6, 7) gets the
    Ortsteile of Mitte and the north with `mapapp districts load-default --replace`."""
    session.execute(text("""
        DELETE FROM districts WHERE level = 'ortsteil'
        AND parent_id IN (SELECT id FROM districts WHERE level = 'stadtbezirk' AND code IN ('1', '2', '3', '5'))"""))
    session.commit()
    in_mitte, in_walsum = make_finding(session, *HAUPTBAHNHOF), make_finding(session, *ALT_WALSUM)
    assert districts_of(session, in_mitte) == (None, "Mitte")
    result = app.test_cli_runner().invoke(args=["districts", "load-default", "--replace"])
    assert result.exit_code == 0, result.output
    assert "46 ortsteil loaded" in result.output
    session.expire_all()
    assert districts_of(session, in_mitte) == ("Dellviertel", "Mitte")
    assert districts_of(session, in_walsum) == ("Alt-Walsum", "Walsum")


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
    finding_id = make_finding(session, *WHERE_THE_SETS_DISAGREE)
    assert districts_of(session, finding_id) == ("Mittelmeiderich", "Meiderich/Beeck")
    districts.load_default(session, replace=True)
    assert districts_of(session, finding_id) == ("Untermeiderich", "Meiderich/Beeck")


def test_finding_moved_by_update_is_reassigned(session):
    finding_id = make_finding(session, *BISMARCKPLATZ)
    session.execute(text("UPDATE findings SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id"),
                    {"lat": RHEINHAUSEN_MARKT[0], "lon": RHEINHAUSEN_MARKT[1], "id": finding_id})
    session.commit()
    assert districts_of(session, finding_id) == ("Rheinhausen-Mitte", "Rheinhausen")
