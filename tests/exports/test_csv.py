"""CSV export: BOM, both separators, umlauts intact, coordinates that lie in the right district."""
import csv
import io

import pytest
from sqlalchemy import text

from tests.exports.helpers import export_bytes, finding_in

SEPARATORS = [("csv", ",", "."), ("csv-semicolon", ";", ",")]


def read(session, name, delimiter, **selection) -> list[dict]:
    data = export_bytes(session, name, **selection)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def number(value: str, decimal: str) -> float:
    return float(value.replace(decimal, "."))


def inside(session, district: str, easting: float, northing: float) -> bool:
    return session.execute(text("""
        SELECT bool_or(ST_Covers(d.geom, ST_Transform(ST_SetSRID(ST_MakePoint(:e, :n), 25832), 4326)))
        FROM districts d WHERE d.name = :name
    """), {"e": easting, "n": northing, "name": district}).scalar()


@pytest.mark.parametrize(("name", "delimiter", "decimal"), SEPARATORS)
def test_umlauts_and_coordinates(session, name, delimiter, decimal):
    finding_in(session, "Baerl", description="Grüße; \"Zitat\", Straße")
    finding_in(session, "Alt-Homberg", description="Rhein-Ufer")
    rows = read(session, name, delimiter, district="Homberg/Ruhrort/Baerl")
    assert len(rows) == 2
    assert {"latitude", "longitude", "easting", "northing"} <= set(rows[0])
    by_place = {row["ortsteil"]: row for row in rows}
    assert by_place["Baerl"]["description"] == "Grüße; \"Zitat\", Straße"
    assert by_place["Baerl"]["stadtbezirk"] == "Homberg/Ruhrort/Baerl"
    for district, row in by_place.items():
        east, north = number(row["easting"], decimal), number(row["northing"], decimal)
        assert inside(session, district, east, north)
        lat, lon = number(row["latitude"], decimal), number(row["longitude"], decimal)
        assert 51.3 < lat < 51.6 and 6.6 < lon < 6.9


@pytest.mark.parametrize(("name", "delimiter", "decimal"), SEPARATORS)
def test_kasslerfeld_in_official_districts(session, official_districts, name, delimiter, decimal):
    finding_in(session, "Kaßlerfeld", description="Bude geschlossen")
    finding_in(session, "Baerl")
    [row] = read(session, name, delimiter, district="Kaßlerfeld")
    assert row["ortsteil"] == "Kaßlerfeld"
    assert inside(session, "Kaßlerfeld", number(row["easting"], decimal), number(row["northing"], decimal))


def test_filters_and_no_text(session):
    finding_in(session, "Baerl", category="empty_shop", description="geheim?")
    finding_in(session, "Rheinhausen-Mitte", category="empty_shop")
    rows = read(session, "csv", ",", district="Rheinhausen", include_text=False)
    assert len(rows) == 1 and rows[0]["ortsteil"] == "Rheinhausen-Mitte"
    assert all(row["description"] == "" for row in read(session, "csv", ",", include_text=False))
    assert read(session, "csv", ",", statuses=["rejected"]) == []
