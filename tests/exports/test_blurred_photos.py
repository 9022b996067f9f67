"""Every export that carries photos carries the blurred copies: the hand-over package's photo
files, the HTML map's and the PDF's thumbnails, the GIS files' photo hashes and the Open311
feed's media_url. A photo with a face (the bundled astronaut) shows that face blurred in each."""
import base64
import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from mapapp.exports import report_data as rd
from mapapp.exports.html_map import write_html
from mapapp.exports.pdf_report import write_pdf
from mapapp.exports.selection import Selection
from mapapp.photos import service
from mapapp.photos.storage import LocalStorage
from tests.exports.helpers import export_bytes
from tests.factories import make_finding, make_walk
from tests.photos.faces import assert_blurred, astronaut_jpeg, sharpness, unblurred_sharpness


@pytest.fixture
def walk(app, session, tmp_path, monkeypatch):
    """A walk with one finding whose photo (approved for the public) shows a face."""
    storage = LocalStorage(tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    monkeypatch.setitem(app.config, "KEEP_UNBLURRED_ORIGINALS", True)  # kept, and still never exported
    walk_id = make_walk(session)
    finding_id = make_finding(session, description="Leerstand", walk_id=walk_id)
    session.commit()
    photo, _ = service.add_photo(session, storage, finding_id, astronaut_jpeg(), "astronaut.jpg", keep_original=True)
    session.execute(text("UPDATE photos SET moderation = 'approved'"))
    session.execute(text("UPDATE findings SET text_moderation = 'approved'"))
    session.commit()
    stored, original = session.execute(text("SELECT stored_sha256, original_sha256 FROM photos")).one()
    assert original is not None
    return {"id": str(walk_id), "storage": storage, "stored": stored, "original": original}


def test_the_handover_package_holds_the_blurred_photo(session, walk):
    data = export_bytes(session, "handover", walk_id=walk["id"], what="findings", include_photos=True)
    bundle = zipfile.ZipFile(io.BytesIO(data))
    [photo] = [name for name in bundle.namelist() if name.startswith("fotos/")]
    assert_blurred(bundle.read(photo), 512)
    assert walk["original"].encode() not in data


def test_the_html_map_shows_the_blurred_thumbnail(session, walk):
    out = io.BytesIO()
    write_html(session, Selection(walk_id=walk["id"], include_photos=True), out, rd.ReportContext(walk["storage"], None))
    [uri] = re.findall(r"data:image/jpeg;base64,([A-Za-z0-9+/=]+)", out.getvalue().decode())
    assert_blurred(base64.b64decode(uri), 320)


def test_the_pdf_report_shows_the_blurred_thumbnail(session, walk):
    out = io.BytesIO()
    write_pdf(session, Selection(walk_id=walk["id"], include_photos=True), out, rd.ReportContext(walk["storage"], None))
    images = [image for page in PdfReader(io.BytesIO(out.getvalue())).pages for image in page.images
              if image.image.size == (320, 320)]  # the thumbnail (the map is an image too)
    assert images, "the report shows the photo"
    for image in images:
        assert sharpness(image.image) * 10 <= unblurred_sharpness(320)


@pytest.mark.parametrize("name", ["gpkg", "csv", "geojson"])
def test_gis_files_name_the_blurred_copy_never_the_original(session, walk, name):
    data = export_bytes(session, name, walk_id=walk["id"], what="findings", include_photos=True)
    assert walk["stored"].encode() in data
    assert walk["original"].encode() not in data


def test_the_open311_feed_links_the_blurred_copy(app, walk):
    client = app.test_client()
    [request] = json.loads(client.get("/open311/v2/requests.json").data)
    assert request["media_url"].endswith(f"/photos/{walk['stored']}/web.jpg")
    assert_blurred(client.get(f"/photos/{walk['stored']}/web.jpg").data, 512)
