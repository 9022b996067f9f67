"""GeoPackage, zipped Shapefile and KML exports, read back with pyogrio and checked in PostGIS."""
import csv
import html
import io
import json
import uuid
import zipfile
from xml.etree import ElementTree

import pyogrio
import pytest
from pyogrio import raw as ogr
from sqlalchemy import text

from mapapp.exports import load_formats
from mapapp.exports.selection import Selection
from tests.factories import BISMARCKPLATZ, AFRIKA_SIEDLUNG, RHEINHAUSEN_MARKT, make_finding, make_walk

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
NICKNAME = "Geheimname-Kiki"
TRICKY = 'Laden & Café <geschlossen> "seit 2024"'
RHEINHAUSEN_LINE = {"type": "LineString",
                    "coordinates": [[6.7120, 51.4015], [6.7135, 51.4021], [6.7150, 51.4030]]}


@pytest.fixture
def data(session):
    """Two shop points (one on a walk, sent by a named participant), a cycle path line and
    point in Rheinhausen, and one concern in Buchholz."""
    walk = make_walk(session)
    shop = make_finding(session, *BISMARCKPLATZ, category="empty_shop", description=TRICKY, walk_id=walk)
    make_finding(session, *RHEINHAUSEN_MARKT, category="empty_shop", description="Noch ein Leerstand")
    make_finding(session, category="cycle_path", geometry=json.dumps(RHEINHAUSEN_LINE), description="Radweg kaputt")
    participant = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id, walk_id, nickname) VALUES (:p, :w, :n)"),
                    {"p": participant, "w": walk, "n": NICKNAME})
    session.execute(text("UPDATE findings SET participant_id = :p, urgency = 4 WHERE id = :f"),
                    {"p": participant, "f": shop})
    session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom)
        VALUES (gen_random_uuid(), 'Radweg am Bahnhof', 'Lücke im Radweg', 'cycle_path',
                ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"""), {"lat": AFRIKA_SIEDLUNG[0], "lon": AFRIKA_SIEDLUNG[1]})
    session.commit()
    return {"walk": walk, "shop": shop, "participant": participant}


def export(session, name, tmp_path, **options) -> bytes:
    fmt = load_formats()[name]
    path = tmp_path / f"export.{fmt.extension}"
    with path.open("wb") as out:
        fmt.write(session, Selection(**options), out)
    return path


def covered_by_own_district(session, wkb: bytes, srid: int, ortsteil_code: str) -> bool:
    """Whether the read-back geometry, transformed to 4326, lies in the Ortsteil it names."""
    return session.execute(text("""
        SELECT ST_Covers(d.geom, ST_Transform(ST_GeomFromWKB(:wkb, :srid), 4326))
        FROM districts d WHERE d.level = 'ortsteil' AND d.code = :code"""),
        {"wkb": wkb, "srid": srid, "code": ortsteil_code}).scalar_one()


def read_layer(path, layer):
    meta, _fids, geometries, values = ogr.read(path, layer=layer)
    return meta, geometries, dict(zip(meta["fields"], values))


def test_geopackage_has_typed_layers_in_25832_that_land_in_their_districts(session, data, tmp_path):
    path = export(session, "gpkg", tmp_path)

    assert [name for name, _type in pyogrio.list_layers(path)] == [
        "findings_points", "findings_lines", "walks", "walk_routes", "districts", "finding_answers", "layer_styles"]
    points = pyogrio.read_info(path, layer="findings_points")
    assert points["features"] == 2 and points["geometry_type"] == "Point"
    assert pyogrio.read_info(path, layer="findings_lines")["features"] == 1
    assert points["crs"] == "EPSG:25832"
    types = dict(zip(points["fields"], points["ogr_types"]))
    assert types["created_at"] == types["updated_at"] == "OFTDateTime"
    assert types["urgency"] == types["confirmations"] == "OFTInteger"
    assert types["lat"] == types["easting"] == "OFTReal"
    assert types["description"] == types["category_label"] == "OFTString"
    assert points["layer_metadata"]["DESCRIPTION"].startswith("Fundstellen")
    assert points["layer_metadata"]["IDENTIFIER"] == "Fundstellen (Punkte)"

    meta, geometries, values = read_layer(path, "findings_points")
    assert sorted(values["description"], key=len) == ["Noch ein Leerstand", TRICKY]
    assert sorted(str(u) for u in values["urgency"]) == ["4.0", "nan"]
    assert 300_000 < values["easting"][0] < 400_000  # metres, not degrees
    for wkb, code in zip(geometries, values["ortsteil_code"]):
        assert covered_by_own_district(session, wkb, 25832, code)
    _meta, lines, line_values = read_layer(path, "findings_lines")
    assert covered_by_own_district(session, lines[0], 25832, line_values["ortsteil_code"][0])
    assert pyogrio.read_info(path, layer="districts")["features"] == session.execute(
        text("SELECT count(*) FROM districts")).scalar_one()


def test_geopackage_in_4326_with_concerns_and_filters(session, data, tmp_path):
    path = export(session, "gpkg", tmp_path, what="both", srid=4326, categories=["cycle_path"])

    assert [name for name, _t in pyogrio.list_layers(path)] == [
        "findings_points", "findings_lines", "concerns", "walks", "walk_routes", "districts", "finding_answers",
        "layer_styles"]
    assert pyogrio.read_info(path, layer="findings_points")["features"] == 0
    assert pyogrio.read_info(path, layer="findings_lines")["features"] == 1
    concerns = pyogrio.read_info(path, layer="concerns")
    assert concerns["crs"] == "EPSG:4326" and concerns["features"] == 1
    _meta, geometries, values = read_layer(path, "concerns")
    assert values["title"][0] == "Radweg am Bahnhof" and values["findings_count"][0] == 0
    assert covered_by_own_district(session, geometries[0], 4326, values["ortsteil_code"][0])


def test_geopackage_for_one_district_holds_only_it(session, data, tmp_path):
    code = session.execute(text("SELECT ortsteil_id FROM findings WHERE id = :f"), {"f": data["shop"]}).scalar_one()
    code = session.execute(text("SELECT code FROM districts WHERE id = :i"), {"i": code}).scalar_one()
    path = export(session, "gpkg", tmp_path, district=code)
    assert pyogrio.read_info(path, layer="findings_points")["features"] == 1
    _meta, _g, values = read_layer(path, "districts")
    assert list(values["code"]) == [code]


def test_shapefile_zip_has_short_fields_a_mapping_table_prj_and_cpg(session, data, tmp_path):
    path = export(session, "shapefile", tmp_path, what="both")

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for layer in ("findings_points", "findings_lines", "concerns", "districts"):
            assert {f"{layer}{suffix}" for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")} <= names
        assert archive.read("findings_points.cpg").decode().strip() == "UTF-8"
        assert "ETRS_1989_UTM_Zone_32N" in archive.read("findings_points.prj").decode()
        table = list(csv.DictReader(io.StringIO(archive.read("fields.csv").decode("utf-8"))))
    mapping = {(row["layer"], row["short_name"]): row["full_name"] for row in table}
    assert mapping[("findings_points", "cat_label")] == "category_label"
    assert mapping[("findings_points", "created_t")] == "created_at"
    assert all(len(short) <= 10 for _layer, short in mapping)

    info = pyogrio.read_info(path, layer="findings_points")
    assert info["features"] == 2 and info["crs"] == "EPSG:25832" and info["encoding"] == "UTF-8"
    assert all(len(name) <= 10 for name in info["fields"])
    assert set(info["fields"]) == {short for layer, short in mapping if layer == "findings_points"}
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["created"] == "OFTDate" and types["urgency"] == "OFTInteger"
    _meta, geometries, values = read_layer(path, "findings_points")
    assert TRICKY in list(values["descr"])
    for wkb, code in zip(geometries, values["ot_code"]):
        assert covered_by_own_district(session, wkb, 25832, code)
    assert pyogrio.read_info(path, layer="concerns")["features"] == 1


def test_kml_has_folders_per_category_and_escaped_placemarks(session, data, tmp_path):
    path = export(session, "kml", tmp_path, what="both")

    root = ElementTree.parse(path).getroot()
    kinds = root.findall("k:Document/k:Folder", KML_NS)
    assert [kind.findtext("k:name", namespaces=KML_NS) for kind in kinds] == ["Fundstellen", "Anliegen"]
    labels = dict(session.execute(text("SELECT slug, label_de FROM categories")).all())
    findings = {folder.findtext("k:name", namespaces=KML_NS): folder.findall("k:Placemark", KML_NS)
                for folder in kinds[0].findall("k:Folder", KML_NS)}
    assert {name: len(marks) for name, marks in findings.items()} == {
        labels["empty_shop"]: 2, labels["cycle_path"]: 1}
    shop_marks = findings[labels["empty_shop"]]
    assert {mark.findtext("k:name", namespaces=KML_NS) for mark in shop_marks} == {labels["empty_shop"]}
    # the description's first line is the text; its last the time (tests/exports/test_times.py)
    assert html.escape(TRICKY) in {mark.findtext("k:description", namespaces=KML_NS).split("\n")[0]
                                   for mark in shop_marks}
    assert findings[labels["cycle_path"]][0].find("k:LineString", KML_NS) is not None
    lon, lat = map(float, shop_marks[0].findtext(".//k:coordinates", namespaces=KML_NS).split(",")[:2])
    assert 6.5 < lon < 7 and 51.3 < lat < 51.6  # WGS84 always
    assert len(kinds[1].findall(".//k:Placemark", KML_NS)) == 1

    assert sum(pyogrio.read_info(path, layer=name)["features"] for name, _t in pyogrio.list_layers(path)) == 4


@pytest.mark.parametrize("name", ["gpkg", "shapefile", "kml"])
def test_no_personal_data_in_gis_exports(session, data, tmp_path, name):
    path = export(session, name, tmp_path, what="both", include_photos=True)
    blobs = [path.read_bytes()]
    if name == "shapefile":
        with zipfile.ZipFile(path) as archive:
            blobs = [archive.read(member) for member in archive.namelist()]
    for blob in blobs:
        assert NICKNAME.encode() not in blob
        assert str(data["participant"]).encode() not in blob
        assert b"participant" not in blob and b"nickname" not in blob


def test_without_text_the_descriptions_are_left_out(session, data, tmp_path):
    path = export(session, "gpkg", tmp_path, include_text=False)
    _meta, _g, values = read_layer(path, "findings_points")
    assert list(values["description"]) == [None, None]


def test_large_layers_are_written_in_batches(session, tmp_path, monkeypatch):
    """Rows stream from PostGIS in batches; every batch lands in the same layer."""
    from mapapp.exports import gis_layers

    monkeypatch.setattr(gis_layers, "BATCH_ROWS", 2)
    made = {str(make_finding(session, BISMARCKPLATZ[0] + i * 1e-4, BISMARCKPLATZ[1])) for i in range(5)}
    gpkg = export(session, "gpkg", tmp_path)
    _meta, _geoms, fields = read_layer(gpkg, "findings_points")
    assert set(fields["id"]) == made
    shp = zipfile.ZipFile(export(session, "shapefile", tmp_path))
    shp.extractall(tmp_path / "shp")
    _meta, _geoms, fields = read_layer(tmp_path / "shp" / "findings_points.shp", "findings_points")
    assert set(fields["id"]) == made
