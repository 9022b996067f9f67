"""The reports officials read: a self-contained HTML map and a PDF, and the ZIP they come in.
(More on the PDF in test_pdf_report.py and test_pdf_layout.py, on the map in test_html_map.py.)"""
import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from mapapp.exports import FORMATS, load_formats
from mapapp.exports import report_data as rd
from mapapp.exports.html_map import write_html
from mapapp.exports.pdf_report import write_pdf
from mapapp.exports.selection import Selection
from tests.exports.helpers import export_bytes
from tests.exports.report_fixture import CONCERN_TITLE, PLANTED, WALK_TITLE, make_report


class Resources(HTMLParser):
    """Every script with a src and every link element of a document."""

    def __init__(self):
        super().__init__()
        self.external = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.external.append(("script", attrs["src"]))
        if tag == "link":
            self.external.append(("link", attrs.get("href")))
        if tag == "img" and not (attrs.get("src") or "").startswith("data:"):
            self.external.append(("img", attrs.get("src")))


@pytest.fixture
def report(session, tmp_path):
    return make_report(session, tmp_path / "uploads")


def html_of(session, report, **options) -> str:
    out = io.BytesIO()
    selection = Selection(walk_id=report.walk_id, what="both", **options)
    write_html(session, selection, out, rd.ReportContext(report.storage, None))
    return out.getvalue().decode("utf-8")


def test_formats_are_registered():
    formats = load_formats()
    assert formats["html"].extension == "html" and formats["pdf"].media_type == "application/pdf"
    assert FORMATS["pdf"].extension == "pdf"


def test_html_loads_nothing_from_elsewhere(session, report):
    document = html_of(session, report, include_photos=True)
    parser = Resources()
    parser.feed(document)
    assert parser.external == []
    assert "<script src=" not in document and not re.search(r"<link[^>]+href=[\"']?http", document)
    assert "L.map(" in document and "leafletjs.com" in document  # Leaflet itself is inlined
    leaflet = "".join((rd.leaflet_dir() / name).read_text(encoding="utf-8") for name in ("leaflet.js", "leaflet.css"))
    urls = set(re.findall(r"https?://[^\s\"'<>)`]+", document))
    assert urls and all(url in leaflet for url in urls)  # only the comments and links inside Leaflet


def test_html_escapes_participants_text(session, report):
    document = html_of(session, report, include_photos=True)
    assert "<script>alert(1)</script>" not in document
    assert "${alert(2)}" in document  # only inside JSON, read with textContent
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in document
    assert WALK_TITLE.replace("&", "&amp;") in document


def test_html_embeds_thumbnails_and_survives_a_missing_file(session, report):
    document = html_of(session, report, include_photos=True)
    thumbs = re.findall(r"data:image/jpeg;base64,[A-Za-z0-9+/=]{100,}", document)
    assert len(thumbs) == 2  # the kept photo: on its finding and on the concern; the lost one: nowhere
    assert len(set(thumbs)) == 1
    without = html_of(session, report, include_photos=False)
    assert not re.search(r"data:image/jpeg;base64,[A-Za-z0-9+/=]{100,}", without)


def test_html_legend_counts_categories(session, report):
    document = html_of(session, report)
    assert "Leeres Ladenlokal (2)" in document and "Anliegen (1)" in document
    assert "Quelle: mapapp · Stadtteil-Spaziergang Duisburg, Stand" in document


def pdf_text(session, report, **options) -> tuple[PdfReader, str]:
    out = io.BytesIO()
    selection = Selection(walk_id=report.walk_id, what="both", **options)
    write_pdf(session, selection, out, rd.ReportContext(report.storage, None))
    reader = PdfReader(io.BytesIO(out.getvalue()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_title_counts_concerns_and_source(session, report):
    reader, text = pdf_text(session, report, include_photos=True)
    assert len(reader.pages) >= 1
    flat = " ".join(text.split())
    assert WALK_TITLE in flat  # umlauts and ß survive
    assert "Leeres Ladenlokal" in flat and "Radweg kaputt oder unsicher" in flat
    counts = text.split("Anliegen nach Kategorie")[0]
    assert "Kategorie Neu Gesamt" in counts
    assert "Leeres Ladenlokal 2 2" in counts and "Radweg kaputt oder unsicher 1 1" in counts
    assert "Summe 3 3" in counts
    assert CONCERN_TITLE in flat and "Zwei Läden stehen leer." in flat
    assert "Quelle: mapapp · Stadtteil-Spaziergang Duisburg, Stand" in flat
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 2  # the map and at least one thumbnail


def test_pdf_for_a_district_without_findings(session):
    out = io.BytesIO()
    write_pdf(session, Selection(district="Alt-Homberg"), out, rd.ReportContext(None, None))
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) >= 1
    assert "Keine" in reader.pages[0].extract_text()


def test_registered_html_uses_the_apps_tiles_and_storage(app, session, report, monkeypatch):
    monkeypatch.setitem(app.extensions, "photo_storage", report.storage)
    monkeypatch.setitem(app.config, "TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    out = io.BytesIO()
    FORMATS["html"].write(session, Selection(walk_id=report.walk_id, include_photos=True), out)
    document = out.getvalue().decode("utf-8")
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in document
    assert re.search(r"data:image/jpeg;base64,[A-Za-z0-9+/=]{100,}", document)


def test_zip_members_are_readable_by_everyone(app, session, report, monkeypatch):
    """Unpacked, every file of the hand-over package is 0644 (it once came out 0600)."""
    monkeypatch.setitem(app.extensions, "photo_storage", report.storage)
    data = export_bytes(session, "handover", walk_id=report.walk_id, what="both", include_photos=True)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in bundle.infolist()}
    assert "bericht.pdf" in modes and any(name.startswith("fotos/") for name in modes)
    assert set(modes.values()) == {0o644}, {name: oct(mode) for name, mode in modes.items()}
