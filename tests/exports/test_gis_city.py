"""The city's side (issue 12): GIS files its QGIS opens styled and explained.

A GeoPackage that GDAL 3.6's validator (Debian 12) accepts, with a default style per layer in
``layer_styles``, titles and descriptions of every column, the selection, licence and contact as
metadata, honest concern columns, the answers as a table and the walks as layers; Shapefiles
with their styles and a note of every cut text; KML styled by category; concerns by default.
"""
import csv
import io
import json
import sqlite3
import subprocess
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pyogrio
import pytest
from pyogrio import raw as ogr
from sqlalchemy import text

from mapapp.colours import PALETTE, category_colours
from mapapp.exports import load_formats
from mapapp.exports.selection import Selection
from tests.exports.helpers import finding_in, make_concern
from tests.factories import make_walk

VALIDATOR = ["/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg"]
DRAWN = ("findings_points", "findings_lines", "concerns", "walks", "walk_routes", "districts")
LONG = "Sehr lange Beschreibung. " * 20  # 500 bytes: more than a dBASE field holds
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


@pytest.fixture
def city(session):
    """A walk with a meeting point and a route; on it a shop with answers, a long-text noise
    finding and a cycle path line; two concerns (one duplicating the other) holding findings
    of three different people (two authors, one +1)."""
    walk = make_walk(session, title="Rundgang Ruhrort")
    session.execute(text("""
        UPDATE walks SET route = ST_GeomFromText('LINESTRING(6.7300 51.4550, 6.7330 51.4560, 6.7380 51.4580)', 4326),
                         ends_at = starts_at + interval '2 hours' WHERE id = :w"""), {"w": walk})
    shop = finding_in(session, "Ruhrort", category="empty_shop", description="Leer seit Mai", walk_id=walk)
    noisy = finding_in(session, "Ruhrort", category="noise", description=LONG, walk_id=walk)
    line = finding_in(session, "Ruhrort", category="cycle_path", walk_id=walk)
    session.execute(text("""
        UPDATE findings SET geom = ST_GeomFromText('LINESTRING(6.7305 51.4551, 6.7320 51.4556)', 4326),
                            attributes = '{"damage": ["potholes", "roots"]}' WHERE id = :f"""), {"f": line})
    session.execute(text("""UPDATE findings SET accuracy_m = 7.5,
                            attributes = '{"ground_floor": "yes"}' WHERE id = :f"""), {"f": shop})
    people = [uuid.uuid4() for _ in range(3)]
    for person in people:
        session.execute(text("INSERT INTO participants (id, walk_id, nickname) VALUES (:p, :w, 'Kiki')"),
                        {"p": person, "w": walk})
    main = make_concern(session, "Ruhrort", title="Leerstand Wanheimer Straße", status="confirmed")
    copy = make_concern(session, "Ruhrort", title="Leerstand doppelt", status="duplicate")
    session.execute(text("UPDATE concerns SET duplicate_of_id = CAST(:m AS uuid) WHERE id = CAST(:c AS uuid)"),
                    {"m": main, "c": copy})
    for finding, person in ((shop, people[0]), (noisy, people[1])):
        session.execute(text("UPDATE findings SET participant_id = :p, concern_id = CAST(:c AS uuid) WHERE id = :f"),
                        {"p": person, "c": main, "f": finding})
    session.execute(text("INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)"),
                    {"f": shop, "p": people[2]})
    session.execute(text("INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)"),
                    {"f": noisy, "p": people[0]})  # an author's +1 on another finding: still 3 people
    session.commit()
    return {"walk": walk, "shop": shop, "noisy": noisy, "line": line, "main": main, "copy": copy}


def write(session, tmp_path, name="gpkg", **options) -> Path:
    fmt = load_formats()[name]
    path = tmp_path / f"city.{fmt.extension}"
    with path.open("wb") as out:
        fmt.write(session, Selection(**options), out)
    return path


def values(path, layer) -> dict:
    meta, _fids, _geometries, columns = ogr.read(path, layer=layer)
    return dict(zip(meta["fields"], columns))


def sqlite_rows(path, sql, *params) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchall()


def test_gdal_36_validator_accepts_the_geopackage(session, city, tmp_path):
    """GDAL's default GeoPackage 1.4 R-tree triggers failed requirement 75 under GDAL 3.6."""
    path = write(session, tmp_path, what="both", include_photos=True)
    result = subprocess.run([*VALIDATOR, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sqlite_rows(path, "PRAGMA user_version") == [(10300,)]


def test_every_drawn_layer_has_a_default_qgis_style(session, city, tmp_path):
    path = write(session, tmp_path, what="both")
    rows = sqlite_rows(path, """SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName,
                                       styleQML, styleSLD, useAsDefault, description FROM layer_styles""")
    styles = {row[2]: row for row in rows}
    assert sorted(styles) == sorted(DRAWN)
    for catalog, schema, table, geometry, name, qml, sld, default, about in rows:
        assert (catalog, schema, geometry, name, default) == ("", "", "geom", table, 1) and about
        assert qml.startswith("<!DOCTYPE qgis")
        ElementTree.fromstring(qml)
        ElementTree.fromstring(sld.encode("utf-8"))

    labels = dict(session.execute(text("SELECT slug, label_de FROM categories")).all())
    colours = category_colours(session)
    for layer, kind, layer_class in (("findings_points", "marker", "SimpleMarker"),
                                     ("findings_lines", "line", "SimpleLine")):
        renderer = ElementTree.fromstring(styles[layer][5]).find("renderer-v2")
        assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "category")
        named = {category.get("value"): category.get("label") for category in renderer.iter("category")}
        assert {slug: labels[slug] for slug in ("empty_shop", "noise", "cycle_path")}.items() <= named.items()
        symbols = {symbol.get("name"): symbol for symbol in renderer.iter("symbol")}
        shop = symbols[next(c.get("symbol") for c in renderer.iter("category") if c.get("value") == "empty_shop")]
        assert shop.get("type") == kind and shop.find("layer").get("class") == layer_class
        red, green, blue = (int(colours["empty_shop"][i:i + 2], 16) for i in (1, 3, 5))
        assert f"{red},{green},{blue},255" in ElementTree.tostring(shop, encoding="unicode")
        rules = ElementTree.fromstring(styles[layer][6].encode()).iter(f"{SE}Rule")
        literals = {rule.findtext(f"{OGC}Filter/{OGC}PropertyIsEqualTo/{OGC}Literal") for rule in rules}
        assert {"empty_shop", "noise", "cycle_path"} <= literals

    concerns = ElementTree.fromstring(styles["concerns"][5]).find("renderer-v2")
    assert concerns.get("attr") == "status"
    assert {c.get("value"): c.get("label") for c in concerns.iter("category")}["duplicate"] == "Doppelt gemeldet"
    districts = ElementTree.fromstring(styles["districts"][5])
    fill = {prop.get("k"): prop.get("v") for prop in districts.iter("prop")}
    assert fill["style"] == "no"  # outlines only
    assert ElementTree.fromstring(styles["districts"][6].encode()).find(f".//{SE}PolygonSymbolizer/{SE}Fill") is None


def test_columns_layers_and_file_are_described(session, city, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_CONTACT", "stadtteilbuero@example.org")
    path = write(session, tmp_path, what="both", categories=["empty_shop", "noise", "cycle_path"])

    described = {(table, column): (title, about) for table, column, title, about in sqlite_rows(
        path, "SELECT table_name, column_name, name, description FROM gpkg_data_columns")}
    from mapapp.exports.gis_layers import layers

    for layer in layers(session, Selection(what="both")):
        for field in layer.fields:
            assert described[(layer.name, field.name)] == (field.title, field.description)
        assert sqlite_rows(path, "SELECT description FROM gpkg_contents WHERE table_name = ?",
                           layer.name) == [(layer.description,)]
    assert described[("findings_points", "status_label")][0] == "Bearbeitungsstand"
    about = pyogrio.read_info(path, layer="findings_points")["dataset_metadata"]
    assert "Kategorien: Leeres Ladenlokal" in about["SELECTION"] and "Inhalt: Fundstellen und Anliegen" in about["SELECTION"]
    assert "dl-de/by-2.0" in about["LICENCE"] and about["CONTACT"] == "stadtteilbuero@example.org"


def test_readable_status_accuracy_and_honest_concern_columns(session, city, tmp_path):
    path = write(session, tmp_path, what="both")
    points = values(path, "findings_points")
    shop = list(points["id"]).index(str(city["shop"]))
    assert points["status"][shop] == "confirmed" and points["status_label"][shop] == "Bestätigt"  # the concern's
    assert points["accuracy_m"][shop] == 7.5
    assert points["concern_id"][shop] == city["main"] and points["confirmations"][shop] == 1
    assert "attributes" not in points  # answers are the finding_answers table

    concerns = values(path, "concerns")
    assert "confirmations" not in concerns and "concern_id" not in concerns
    by_id = {cid: index for index, cid in enumerate(concerns["id"])}
    main, copy = by_id[city["main"]], by_id[city["copy"]]
    assert (concerns["findings_count"][main], concerns["people"][main]) == (2, 3)
    assert concerns["status_label"][copy] == "Doppelt gemeldet" and concerns["duplicate_of"][main] is None
    assert (concerns["findings_count"][copy], concerns["people"][copy]) == (0, 0)
    assert concerns["duplicate_of"][copy] == city["main"]

    csv_path = write(session, tmp_path, "csv", what="both")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    concern = next(row for row in rows if row["id"] == city["copy"])
    assert (concern["findings_count"], concern["people"], concern["duplicate_of"]) == ("0", "0", city["main"])
    assert concern["confirmations"] == concern["concern_id"] == ""
    finding = next(row for row in rows if row["id"] == str(city["shop"]))
    assert (finding["findings_count"], finding["duplicate_of"], finding["accuracy_m"]) == ("", "", "7.5")
    features = json.loads(write(session, tmp_path, "geojson", what="concerns").read_text())["features"]
    props = next(f["properties"] for f in features if f["id"] == city["main"])
    assert (props["findings_count"], props["people"], props["confirmations"]) == (2, 3, None)


@pytest.fixture
def noise_questions(session):
    """Two extra questions of the noise category, removed again after the test."""
    yield
    session.rollback()
    session.execute(text("DELETE FROM category_attributes WHERE category_slug = 'noise' AND code IN ('note', 'decibel')"))
    session.commit()


def test_answers_are_a_table_with_labels(session, city, tmp_path, noise_questions):
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, label_de, label_en, "order")
                            VALUES ('noise', 'note', 'text', 'Was hören Sie?', 'What do you hear?', 5),
                                   ('noise', 'decibel', 'number', 'Lautstärke (dB)', 'Loudness (dB)', 6)"""))
    session.execute(text("""UPDATE findings SET attributes = '{"when": "night", "note": "Laute Musik", "decibel": 85}'
                            WHERE id = :f"""), {"f": city["noisy"]})
    session.commit()
    answers = values(write(session, tmp_path, what="findings"), "finding_answers")
    rows = sorted(zip(answers["finding_id"], answers["question"], answers["answer"], answers["answer_label"],
                      answers["question_label"], answers["answer_number"]), key=lambda row: (row[0], row[1], row[2]))
    by_finding = {}
    for finding, question, answer, label, question_label, number in rows:
        by_finding.setdefault(finding, []).append((question, answer, label))
    assert by_finding[str(city["line"])] == [("damage", "potholes", "Schlaglöcher"),
                                            ("damage", "roots", "Wurzelaufbrüche")]
    assert by_finding[str(city["shop"])] == [("ground_floor", "yes", "Ja")]
    assert ("note", "Laute Musik", "Laute Musik") in by_finding[str(city["noisy"])]
    decibel = next(row for row in rows if row[1] == "decibel")
    assert decibel[4] == "Lautstärke (dB)" and decibel[5] == 85.0

    quiet = values(write(session, tmp_path, what="findings", include_text=False), "finding_answers")
    assert "note" not in set(quiet["question"]) and "when" in set(quiet["question"])


def test_walks_with_meeting_points_routes_and_dates(session, city, tmp_path):
    without = make_walk(session, title="Ohne Treffpunkt")
    session.execute(text("UPDATE walks SET meeting_point = NULL WHERE id = :w"), {"w": without})
    session.commit()
    path = write(session, tmp_path, what="both")
    _meta, _fids, points, walks = ogr.read(path, layer="walks")
    walks = dict(zip(_meta["fields"], walks))
    ruhrort = list(walks["title"]).index("Rundgang Ruhrort")
    assert points[ruhrort] is not None and points[list(walks["title"]).index("Ohne Treffpunkt")] is None
    assert str(walks["starts_at"][ruhrort]).startswith("2026-09-12T10:00")
    assert str(walks["ends_at"][ruhrort]).startswith("2026-09-12T12:00")
    assert walks["findings_count"][ruhrort] == 3
    routes = pyogrio.read_info(path, layer="walk_routes")
    assert routes["geometry_type"] == "LineString" and routes["features"] == 1
    assert 500 < values(path, "walk_routes")["route_length_m"][0] < 800
    assert b"join_code" not in path.read_bytes()

    one = write(session, tmp_path, what="both", walk_id=str(without))
    assert list(values(one, "walks")["title"]) == ["Ohne Treffpunkt"]


def test_shapefile_has_styles_titles_and_a_note_of_every_cut_text(session, city, tmp_path):
    path = write(session, tmp_path, "shapefile", what="both")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for layer in DRAWN:
            qml = archive.read(f"{layer}.qml").decode("utf-8")
            assert ElementTree.fromstring(qml).find("renderer-v2") is not None
        points_qml = ElementTree.fromstring(archive.read("findings_points.qml"))
        aliases = {alias.get("field"): alias.get("name") for alias in points_qml.iter("alias")}
        assert aliases["cat_label"] == "Kategorie" and aliases["created_t"] == "erfasst am (Uhrzeit)"
        assert {"finding_answers.dbf", "finding_answers.cpg"} <= names and "finding_answers.qml" not in names
        assert {info.external_attr >> 16 & 0o777 for info in archive.infolist()} == {0o644}
        fields = list(csv.DictReader(io.StringIO(archive.read("fields.csv").decode("utf-8"))))
        cut = list(csv.DictReader(io.StringIO(archive.read("truncated.csv").decode("utf-8"))))
    descr = next(row for row in fields if (row["layer"], row["short_name"]) == ("findings_points", "descr"))
    assert (descr["full_name"], descr["title"], descr["truncated"]) == ("description", "Beschreibung", "1")
    assert all(row["truncated"] == "0" for row in fields if row is not descr)
    assert cut == [{"layer": "findings_points", "row": str(city["noisy"]), "field": "descr",
                    "bytes": str(len(LONG.encode()))}]


def test_kml_styles_each_category_in_the_apps_colour(session, city, tmp_path):
    root = ElementTree.parse(write(session, tmp_path, "kml", what="both")).getroot()
    colours = category_colours(session)
    styles = {style.get("id"): style for style in root.iter("{http://www.opengis.net/kml/2.2}Style")}
    shop = colours["empty_shop"]
    assert styles["finding-empty_shop"].findtext("k:IconStyle/k:color", namespaces=KML_NS) == (
        f"ff{shop[5:7]}{shop[3:5]}{shop[1:3]}")
    assert styles["finding-cycle_path"].find("k:LineStyle/k:color", KML_NS) is not None
    for mark in root.iter("{http://www.opengis.net/kml/2.2}Placemark"):
        assert mark.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#") in styles
    line = next(m for m in root.iter("{http://www.opengis.net/kml/2.2}Placemark")
                if m.get("id") == f"finding-{city['line']}")
    assert line.find("k:LineString", KML_NS) is not None
    assert line.findtext("k:styleUrl", namespaces=KML_NS) == "#finding-cycle_path"


def test_category_colours_are_distinct_and_in_display_order(session):
    colours = category_colours(session)
    slugs = session.execute(text("SELECT slug FROM categories ORDER BY sort, slug")).scalars().all()
    assert list(colours) == slugs
    assert len(set(colours.values())) == min(len(slugs), len(PALETTE))


@pytest.mark.parametrize("name", ["gpkg", "shapefile", "kml", "handover"])
def test_the_city_formats_hold_concerns_unless_told_otherwise(app, session, city, tmp_path, name):
    """The PDF said "0 Anliegen" while the walk had 2: the default content left concerns out."""
    assert load_formats()[name].default_what == "both"
    target = tmp_path / f"out.{load_formats()[name].extension}"
    result = app.test_cli_runner().invoke(args=["export", name, "--out", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if name == "handover":
        (tmp_path / "daten.gpkg").write_bytes(zipfile.ZipFile(io.BytesIO(data)).read("daten.gpkg"))
        target = tmp_path / "daten.gpkg"
    if name == "kml":
        assert b"<name>Anliegen</name>" in data
    elif name == "shapefile":
        assert "concerns.shp" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    else:
        assert pyogrio.read_info(target, layer="concerns")["features"] == 2
    assert load_formats()["csv"].default_what == "findings"


def test_the_export_page_defaults_to_findings_and_concerns(client, session, city):
    from tests.auth.helpers import log_in, make_organiser

    make_organiser(session)
    log_in(client)
    page = client.get("/organiser/exports").text
    assert '<option value="both" selected>' in page
    kml = client.get("/organiser/exports?format=kml&text=1").get_data()
    assert b"<name>Anliegen</name>" in kml and b"Leerstand Wanheimer" in kml
    assert b"<name>Anliegen</name>" not in client.get("/organiser/exports?format=kml&what=findings").get_data()


def test_without_text_free_text_answers_leave_every_format(session, city, tmp_path, noise_questions):
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, label_de, label_en, "order")
                            VALUES ('noise', 'note', 'text', 'Was hören Sie?', 'What do you hear?', 5)"""))
    session.execute(text("""UPDATE findings SET attributes = '{"when": "night", "note": "Nachbar Müller"}'
                            WHERE id = :f"""), {"f": city["noisy"]})
    session.commit()
    for fmt in ("geojson", "csv", "kml", "gpkg"):
        data = write(session, tmp_path, fmt, include_text=False).read_bytes()
        assert "Nachbar Müller".encode() not in data, fmt
    assert "Nachbar Müller".encode() in write(session, tmp_path, "geojson", include_text=True).read_bytes()
