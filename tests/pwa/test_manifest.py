"""The web app manifest: valid JSON, installable (name, start URL, standalone, icons that exist)."""
import io
import json

from PIL import Image


def test_manifest_is_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert {"any", "maskable"} <= purposes


def test_manifest_icons_exist_in_their_stated_sizes(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    sizes = set()
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.mimetype == icon["type"]
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(response.get_data())).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
        response.close()
    assert {192, 512} <= sizes


def test_pages_link_the_manifest_status_line_and_worker_registration(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'id="sync-status"' in html and 'role="status"' in html and 'aria-live="polite"' in html
    assert 'src="/static/js/capture/pwa.js"' in html
