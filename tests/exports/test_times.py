"""Data files carry each time twice: Duisburg time with its offset and UTC (read back from the files)."""
import csv
import io
import json
import zipfile
from datetime import datetime, timezone
from xml.etree import ElementTree

from pyogrio import raw as ogr
from sqlalchemy import text

from mapapp.exports import load_formats
from mapapp.exports.selection import Selection
from tests.exports.helpers import export_bytes
from tests.factories import make_finding, make_walk

UTC_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # 02.03.2026, 00:30 MEZ in Duisburg
SUMMER = datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)  # 12:00 MESZ
LOCAL, UTC = "2026-03-02 00:30:00+01:00", "2026-03-01T23:30:00Z"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


def _finding(session):
    finding_id = make_finding(session, description="Leerstand")
    session.execute(text("UPDATE findings SET created_at = :c, updated_at = :u WHERE id = :id"),
                    {"c": UTC_NIGHT, "u": SUMMER, "id": finding_id})
    session.commit()
    return finding_id


def test_csv_has_local_and_utc_columns_beside_the_old_ones(session):
    _finding(session)
    [row] = csv.DictReader(io.StringIO(export_bytes(session, "csv").decode("utf-8-sig")))
    assert (row["created_at_local"], row["created_at_utc"]) == (LOCAL, UTC)
    assert (row["updated_at_local"], row["updated_at_utc"]) == ("2026-07-01 12:00:00+02:00", "2026-07-01T10:00:00Z")
    assert row["created_at"].startswith("2026-03-01T23:30:00")  # unchanged: UTC


def test_geojson_properties_have_both(session):
    _finding(session)
    [feature] = json.loads(export_bytes(session, "geojson"))["features"]
    assert (feature["properties"]["created_at_local"], feature["properties"]["created_at_utc"]) == (LOCAL, UTC)


def _export_file(session, name, tmp_path, **options):
    fmt = load_formats()[name]
    path = tmp_path / f"export.{fmt.extension}"
    with path.open("wb") as out:
        fmt.write(session, Selection(**options), out)
    return path


def _fields(path, layer):
    meta, _fids, _geometries, values = ogr.read(path, layer=layer)
    return {name: list(column) for name, column in zip(meta["fields"], values)}


def test_geopackage_has_a_utc_datetime_and_a_local_text(session, tmp_path):
    _finding(session)
    walk = make_walk(session)
    session.execute(text("UPDATE walks SET starts_at = :at WHERE id = :id"), {"at": UTC_NIGHT, "id": walk})
    session.commit()
    path = _export_file(session, "gpkg", tmp_path)
    points = _fields(path, "findings_points")
    assert points["created_at_local"] == [LOCAL]
    assert str(points["created_at"][0]).startswith("2026-03-01T23:30")
    assert _fields(path, "walks")["starts_at_local"] == [LOCAL]


def test_shapefile_has_utc_and_local_text_noted_in_the_field_mapping(session, tmp_path):
    _finding(session)
    archive = zipfile.ZipFile(_export_file(session, "shapefile", tmp_path))
    archive.extractall(tmp_path / "shp")
    [shp] = [name for name in archive.namelist() if name.endswith("findings_points.shp")]
    points = _fields(tmp_path / "shp" / shp, None)
    assert points["created_t"] == [UTC] and points["created_l"] == [LOCAL]
    mapping = list(csv.DictReader(io.StringIO(archive.read("fields.csv").decode("utf-8-sig"))))
    [local] = [r for r in mapping if r["layer"] == "findings_points" and r["short_name"] == "created_l"]
    assert local["full_name"] == "created_at_local" and "Duisburger Zeit" in local["description"]


def test_kml_has_a_utc_timestamp_and_the_local_time_in_the_description(session):
    _finding(session)
    root = ElementTree.fromstring(export_bytes(session, "kml"))
    [placemark] = root.findall(".//k:Placemark", KML_NS)
    assert placemark.find("k:TimeStamp/k:when", KML_NS).text == UTC
    assert placemark.find("k:description", KML_NS).text.endswith("Erfasst am 02.03.2026, 00:30 MEZ")
