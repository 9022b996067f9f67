"""Static assets: content-versioned URLs with long cache headers, revalidation, compression."""
import gzip
import re

import brotli
import pytest
from flask import url_for

from mapapp.assets import IMMUTABLE
from tests.auth.helpers import log_in, make_organiser
from tests.exports.helpers import finding_in

VERSIONED = re.compile(r"\?v=[0-9a-f]{12}$")


def asset_url(app, endpoint, filename):
    with app.test_request_context():
        return url_for(endpoint, filename=filename)


def test_page_links_styles_and_leaflet_by_content_version(client):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/app\.css[^"]*)"', html).group(1)
    leaflet = re.search(r'src="(/vendor/leaflet/leaflet\.js[^"]*)"', html).group(1)
    assert VERSIONED.search(stylesheet) and VERSIONED.search(leaflet)


def test_es_modules_are_not_versioned(app, client):
    """Modules import each other by relative path; one module under two URLs would run twice."""
    assert asset_url(app, "static", "js/main.js") == "/static/js/main.js"
    response = client.get("/static/js/main.js")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]


@pytest.mark.parametrize("endpoint, filename", [
    ("static", "css/app.css"), ("static", "icons/icon-192.png"),
    ("vendor.leaflet", "leaflet.js"), ("vendor.exifr", "lite.esm.js"),
    ("vendor.markercluster", "leaflet.markercluster.js"), ("vendor.markercluster", "MarkerCluster.css"),
])
def test_versioned_url_is_cached_for_a_year(app, client, endpoint, filename):
    url = asset_url(app, endpoint, filename)
    assert VERSIONED.search(url), url
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE


def test_without_version_the_browser_revalidates_and_gets_a_304(client):
    first = client.get("/static/css/app.css")
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/static/css/app.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_an_old_version_is_not_cached_for_a_year(client):
    response = client.get("/static/css/app.css?v=000000000000")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


def test_version_follows_the_content(app, client, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    style = tmp_path / "site.css"
    style.write_text("body { color: black; }")
    first = asset_url(app, "static", "site.css")
    style.write_text("body { color: navy; }")
    second = asset_url(app, "static", "site.css")
    assert VERSIONED.search(first) and VERSIONED.search(second) and first != second
    assert client.get(second).headers["Cache-Control"] == IMMUTABLE
    assert client.get(first).headers["Cache-Control"] == "no-cache"  # the old URL now names other bytes
    assert client.get(second).get_data() == b"body { color: navy; }"


@pytest.mark.parametrize("url", ["/static/js/main.js", "/static/css/app.css", "/api/openapi.json", "/"])
def test_text_is_gzipped_and_unzips_to_the_same_bytes(client, url):
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()


def test_brotli_is_preferred_when_offered(client):
    plain = client.get("/vendor/leaflet/leaflet.js")
    squeezed = client.get("/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.get_data()) == plain.get_data()
    assert len(squeezed.get_data()) < len(plain.get_data()) / 2


def test_images_are_not_compressed_again(client):
    response = client.get("/static/icons/icon-192.png", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers


def test_small_answers_are_not_compressed(client):
    response = client.get("/api/nope", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 404
    assert "Content-Encoding" not in response.headers


def test_versioned_304_keeps_working_with_compression(app, client):
    url = asset_url(app, "vendor.leaflet", "leaflet.css")
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_compressed_export_still_streams(client, session):
    make_organiser(session)
    log_in(client)
    finding_in(session, "Ruhrort", description="Schaufenster leer")
    url = "/organiser/exports?format=geojson&what=findings&district=401&text=1"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.is_streamed
    assert "Content-Length" not in zipped.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
