"""Static assets: content-versioned URLs with long cache headers, revalidation, compression."""
import gzip
import re

import brotli
import pytest
from flask import url_for

from mapapp.assets import IMMUTABLE, VENDOR_MODULES
from tests.auth.helpers import log_in, make_organiser
from tests.exports.helpers import finding_in

VERSIONED = re.compile(r"\?v=[0-9a-f]{12}$")


def asset_url(app, endpoint, filename):
    with app.test_request_context():
        return url_for(endpoint, filename=filename)


def test_page_links_styles_by_content_version_and_leaves_its_modules_to_follow_the_paint(client):
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/app\.css[^"]*)"', html).group(1)
    leaflet_css = re.search(r'href="(/vendor/leaflet/leaflet\.css[^"]*)"', html).group(1)
    assert VERSIONED.search(stylesheet) and VERSIONED.search(leaflet_css)
    # The phone's map pages preload no module: those would share the bandwidth with the stylesheets.
    assert "modulepreload" not in html
    assert "leaflet.js" not in html


def test_desk_map_pages_preload_leaflet_as_imported(client, session):
    """Leaflet is an ES module the scripts import by path: preloaded under that very URL."""
    make_organiser(session)
    log_in(client)
    html = client.get("/review/").get_data(as_text=True)
    assert '<link rel="modulepreload" href="/vendor/leaflet/leaflet-src.esm.js">' in html


def test_es_modules_are_not_versioned(app, client):
    """Modules import each other by relative path; one module under two URLs would run twice."""
    assert asset_url(app, "static", "js/capture/main.js") == "/static/js/capture/main.js"
    response = client.get("/static/js/capture/main.js")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]


@pytest.mark.parametrize("endpoint, filename", sorted(VENDOR_MODULES))
def test_vendor_modules_the_scripts_import_are_not_versioned(app, client, endpoint, filename):
    """static/js/shared/leaflet.js imports these by path: a ``v`` would load them twice, or miss the worker's copy."""
    url = asset_url(app, endpoint, filename)
    assert not VERSIONED.search(url), url
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    response.close()


@pytest.mark.parametrize("endpoint, filename", [
    ("static", "css/app.css"), ("static", "icons/icon-192.png"),
    ("vendor.leaflet", "leaflet.js"), ("vendor.exifr", "lite.esm.js"), ("vendor.markercluster", "MarkerCluster.css"),
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


@pytest.mark.parametrize("url", ["/static/js/capture/main.js", "/static/css/app.css", "/api/openapi.json", "/"])
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


def test_leaflets_es_module_build_is_served_minified_with_its_licence(client):
    """The scripts import Leaflet's ESM build, which ships unminified (109 KB compressed)."""
    from mapapp.assets.vendor import leaflet_dir

    source = (leaflet_dir() / "leaflet-src.esm.js").read_text(encoding="utf-8")
    served = client.get("/vendor/leaflet/leaflet-src.esm.js")
    body = served.get_data(as_text=True)
    assert served.status_code == 200 and served.mimetype == "text/javascript"
    assert body.startswith("/* @preserve") and "Vladimir Agafonkin" in body.split("*/")[0]
    # terser (npm): compressed, local names mangled — about a third of the source, gzipped
    assert len(gzip.compress(body.encode(), 9)) < 0.4 * len(gzip.compress(source.encode(), 9))
    exported = [{re.split(r"\s+as\s+", name)[-1] for name in re.findall(r"[\w$]+(?:\s+as\s+[\w$]+)?",
                                                               re.search(r"export\s*\{([^}]*)\}", text).group(1))}
                for text in (source, body)]
    assert len(exported[0]) > 50 and exported[1] == exported[0]  # the same public names
    again = client.get("/vendor/leaflet/leaflet-src.esm.js", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
