"""Importing district boundaries: formats, CRS, repair, refusal, one transaction."""
import numpy as np
import pytest
import shapely
from pyogrio import raw as ogr
from pyproj import Transformer
from sqlalchemy import text

from mapapp.districts import boundaries as districts
from mapapp.districts.boundaries import ImportRefused

TO_25832 = Transformer.from_crs(4326, 25832, always_xy=True)


def square_25832(lon, lat, half_m=3000):
    """A square around a lon/lat place, in EPSG:25832 metres."""
    x, y = TO_25832.transform(lon, lat)
    return shapely.box(x - half_m, y - half_m, x + half_m, y + half_m)


def write_layer(path, geometries, fields: dict, crs="EPSG:25832", driver=None):
    ogr.write(
        str(path), geometry=np.array([shapely.to_wkb(g) for g in geometries], dtype=object),
        field_data=[np.array(v, dtype=object) for v in fields.values()], fields=list(fields),
        crs=crs, geometry_type="Polygon" if all(g.geom_type == "Polygon" for g in geometries) else "Unknown",
        driver=driver,
    )
    return path


def level_names(session, level):
    return session.execute(text("SELECT name FROM districts WHERE level = :l ORDER BY code"), {"l": level}).scalars().all()


@pytest.mark.parametrize("suffix, driver", [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile"), (".geojson", "GeoJSON")])
def test_import_reprojects_from_25832(session, tmp_path, suffix, driver):
    path = write_layer(
        tmp_path / f"bezirke{suffix}",
        [square_25832(6.70, 51.45), square_25832(6.78, 51.39)],
        {"NAME": ["Westbezirk", "Ostbezirk"], "NR": ["1", "2"]}, driver=driver,
    )
    report = districts.import_file(session, path, "stadtbezirk", "NAME", "NR")
    assert (report.imported, report.removed) == (2, 5)
    assert level_names(session, "stadtbezirk") == ["Westbezirk", "Ostbezirk"]
    covers = session.execute(text("""
        SELECT name FROM districts WHERE level = 'stadtbezirk'
        AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(6.70, 51.45), 4326))""")).scalar()
    assert covers == "Westbezirk"
    assert session.execute(text("SELECT DISTINCT ST_SRID(geom) FROM districts")).scalar() == 4326


def test_ortsteile_find_their_parent_by_code_or_by_place(session, tmp_path):
    bezirke = write_layer(tmp_path / "b.gpkg", [square_25832(6.70, 51.45, 5000)], {"n": ["Bezirk"], "c": ["9"]})
    teile = write_layer(tmp_path / "o.gpkg", [square_25832(6.70, 51.45, 1000)], {"n": ["Teil"], "c": ["901"], "p": ["9"]})
    districts.import_file(session, bezirke, "stadtbezirk", "n", "c")
    districts.import_file(session, teile, "ortsteil", "n", "c", "p")
    by_code = session.execute(text("SELECT p.code FROM districts o JOIN districts p ON p.id = o.parent_id")).scalar()
    districts.import_file(session, teile, "ortsteil", "n", "c")
    by_place = session.execute(text("SELECT p.code FROM districts o JOIN districts p ON p.id = o.parent_id")).scalar()
    assert by_code == by_place == "9"


def test_self_intersecting_polygon_is_repaired(session, tmp_path):
    x, y = TO_25832.transform(6.70, 51.45)
    bowtie = shapely.Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000), (x, y)])
    path = write_layer(tmp_path / "bowtie.gpkg", [bowtie], {"n": ["Schleife"], "c": ["1"]})
    report = districts.import_file(session, path, "stadtbezirk", "n", "c")
    assert len(report.repaired) == 1 and "Schleife" in report.repaired[0]
    valid, kind = session.execute(text("SELECT ST_IsValid(geom), GeometryType(geom) FROM districts WHERE level = 'stadtbezirk'")).one()
    assert valid and kind == "MULTIPOLYGON"


def test_refusals_name_the_feature_and_keep_the_old_set(session, tmp_path):
    before = level_names(session, "stadtbezirk")
    x, y = TO_25832.transform(6.70, 51.45)
    flat = shapely.Polygon([(x, y), (x + 1000, y), (x + 2000, y), (x, y)])
    path = write_layer(tmp_path / "flat.gpkg", [square_25832(6.7, 51.4), flat],
                       {"n": ["Gut", "Strich"], "c": ["1", "2"]})
    with pytest.raises(ImportRefused, match="Strich"):
        districts.import_file(session, path, "stadtbezirk", "n", "c")
    assert level_names(session, "stadtbezirk") == before


@pytest.mark.parametrize("kwargs, message", [
    ({"name_field": "nope", "code_field": "c"}, "no field 'nope'"),
    ({"name_field": "n", "code_field": "c", "parent_code_field": "p"}, "import the Stadtbezirke first"),
])
def test_bad_fields_are_refused(session, tmp_path, kwargs, message):
    path = write_layer(tmp_path / "o.gpkg", [square_25832(6.7, 51.45)], {"n": ["Teil"], "c": ["1"], "p": ["77"]})
    with pytest.raises(ImportRefused, match=message):
        districts.import_file(session, path, "ortsteil", **kwargs)
    assert len(level_names(session, "ortsteil")) == 46


def test_duplicate_codes_are_refused(session, tmp_path):
    path = write_layer(tmp_path / "d.gpkg", [square_25832(6.7, 51.45), square_25832(6.8, 51.4)],
                       {"n": ["A", "B"], "c": ["1", "1"]})
    with pytest.raises(ImportRefused, match="'1' occurs more than once"):
        districts.import_file(session, path, "stadtbezirk", "n", "c")


def test_city_esri_json_in_25832_imports(session, geodata_ref):
    source = geodata_ref / "source" / "ortsteile_stadt-duisburg_esrijson_epsg25832.json"
    if not source.exists():
        pytest.skip("Esri JSON source not present")
    report = districts.import_file(session, source, "ortsteil", "OTNAME", "OTNR")
    assert report.imported == 46
    name = session.execute(text("""
        SELECT name FROM districts WHERE level = 'ortsteil'
        AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(6.6995, 51.4565), 4326))""")).scalar()
    assert name == "Alt-Homberg"
