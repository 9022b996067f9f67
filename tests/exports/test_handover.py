"""The hand-over package: one ZIP with GeoPackage, CSV, HTML map, PDF, photos and a README."""
import csv
import io
import zipfile
from datetime import date

import pyogrio
import pytest

from mapapp.exports import load_formats
from mapapp.exports.selection import Selection
from tests.exports.helpers import export_bytes
from tests.exports.report_fixture import WALK_TITLE, make_report

DATA_MEMBERS = {"daten.gpkg", "daten.csv", "karte.html", "bericht.pdf", "README.txt"}


@pytest.fixture
def report(app, session, tmp_path, monkeypatch):
    """The report walk, its photo files in a storage the app (and so the package) reads."""
    made = make_report(session, tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "photo_storage", made.storage)
    return made


def package(session, report, what="both", **options) -> zipfile.ZipFile:
    data = export_bytes(session, "handover", walk_id=report.walk_id, what=what, **options)
    return zipfile.ZipFile(io.BytesIO(data))


def test_registered_as_zip():
    fmt = load_formats()["handover"]
    assert (fmt.extension, fmt.media_type, fmt.label) == ("zip", "application/zip", "Übergabepaket (ZIP)")


def test_package_holds_every_member(session, report, tmp_path):
    bundle = package(session, report)
    assert bundle.testzip() is None
    assert set(bundle.namelist()) == DATA_MEMBERS
    assert bundle.read("bericht.pdf").startswith(b"%PDF")
    assert b"L.map(" in bundle.read("karte.html")
    assert bundle.getinfo("daten.gpkg").compress_type == zipfile.ZIP_DEFLATED

    gpkg = tmp_path / "daten.gpkg"
    gpkg.write_bytes(bundle.read("daten.gpkg"))
    names = [name for name, _geometry in pyogrio.list_layers(gpkg)]
    assert names == ["findings_points", "findings_lines", "concerns", "walks", "walk_routes", "districts",
                     "finding_answers", "layer_styles"]
    points = pyogrio.read_info(gpkg, layer="findings_points")
    assert points["crs"] == "EPSG:25832" and points["features"] == 3
    assert pyogrio.read_info(gpkg, layer="concerns")["features"] == 1

    text = bundle.read("daten.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4 and {row["kind"] for row in rows} == {"finding", "concern"}
    assert all(row["walk"] == WALK_TITLE for row in rows if row["kind"] == "finding")
    assert "," in rows[0]["easting"]  # decimal comma for German Excel


def test_readme_names_filters_crs_licence_and_files(session, report):
    bundle = package(session, report, categories=["empty_shop"], statuses=["new"],
                     date_from=date(2020, 1, 2), include_text=False)
    readme = bundle.read("README.txt").decode("utf-8")
    assert "Übergabepaket" in readme and "Europe/Berlin" in readme
    assert f"Ortsbegehung: {WALK_TITLE}" in readme
    assert "Kategorien: Leeres Ladenlokal" in readme
    assert "Bearbeitungsstand: Neu" in readme and "Erfasst von 02.01.2020 bis heute" in readme
    assert "Beschreibungstexte: weggelassen" in readme and "Fotos: nicht enthalten" in readme
    assert "EPSG:25832" in readme and "WGS84" in readme
    assert "dl-de/by-2.0" in readme and "Kontakt:" in readme and "personenbezogenen Daten" in readme
    for name in DATA_MEMBERS:
        assert name in readme
    assert "Dringlichkeit 1 (gering) bis 5" in readme  # field descriptions from gis_layers


def test_licence_and_contact_come_from_config(app, session, report, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_LICENCE", "Lizenz: CC0 1.0")
    monkeypatch.setitem(app.config, "EXPORT_CONTACT", "stadtteilbuero@example.org")
    readme = package(session, report).read("README.txt").decode("utf-8")
    assert "Lizenz: CC0 1.0" in readme and "stadtteilbuero@example.org" in readme
    assert "dl-de/by-2.0" not in readme


def test_photos_only_when_asked(session, report):
    assert not [name for name in package(session, report).namelist() if name.startswith("fotos/")]

    bundle = package(session, report, what="findings", include_photos=True)
    photos = [name for name in bundle.namelist() if name.startswith("fotos/")]
    first, second = report.finding_ids[:2]
    assert photos == [f"fotos/{first}-1.jpg", f"fotos/{second}-1.jpg"]  # only the thumbnail of one is gone
    with report.storage.open(f"{report.photo_sha[:2]}/{report.photo_sha}_web.jpg") as stored:
        assert bundle.read(photos[0]) == stored.read()
    assert bundle.getinfo(photos[0]).compress_type == zipfile.ZIP_STORED
    readme = bundle.read("README.txt").decode("utf-8")
    assert "Fotos: enthalten" in readme and "2 Fotos" in readme


def test_missing_photo_files_are_skipped(session, report):
    report.storage.delete(f"{report.photo_sha[:2]}/{report.photo_sha}_web.jpg")
    bundle = package(session, report, what="findings", include_photos=True)
    photos = [name for name in bundle.namelist() if name.startswith("fotos/")]
    assert photos == [f"fotos/{report.finding_ids[1]}-1.jpg"]


class Unseekable:
    """A streamed response body: write only, no tell or seek."""

    def __init__(self):
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        pass


def test_streams_into_an_unseekable_file(session, report):
    out = Unseekable()
    load_formats()["handover"].write(session, Selection(walk_id=report.walk_id), out)
    assert zipfile.ZipFile(io.BytesIO(bytes(out.data))).testzip() is None
