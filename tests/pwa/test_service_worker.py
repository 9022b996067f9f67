"""/sw.js: served at the root scope, never cached by HTTP, lists an app shell that exists."""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from mapapp.assets import VENDOR_MODULES
from mapapp.pwa import shell
from tests.factories import make_walk

CONFIG = re.compile(r"^const CONFIG = (\{.*\});$", re.MULTILINE)


def worker_config(client) -> dict:
    body = client.get("/sw.js").get_data(as_text=True)
    found = CONFIG.search(body)
    assert found, "the served worker carries no filled-in CONFIG line"
    return json.loads(found.group(1))


def test_worker_headers_allow_the_root_scope_and_forbid_http_caching(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def test_worker_precaches_the_shell_and_each_url_answers(client):
    config = worker_config(client)
    precache = config["precache"]
    paths = {url.split("?")[0] for url in precache}  # files other than ES modules carry ?v=<hash>
    for needed in ("/static/js/capture/main.js", "/static/js/capture/outbox.js", "/static/js/capture/sync-status.js",
                   "/static/js/capture/pwa.js", "/static/js/shared/strings.js", "/static/css/app.css",
                   "/static/favicon.svg", "/vendor/leaflet/leaflet-src.esm.js", "/vendor/leaflet/leaflet.css",
                   "/vendor/leaflet/images/layers.png", "/manifest.webmanifest"):
        assert needed in paths
    assert not [url for url in precache if "/static/js/worker/" in url]
    assert config["pages"] == ["/"]
    assert len(precache) == len(set(precache))
    for url in precache + config["pages"]:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_everything_the_walk_map_loads_is_precached(client, session):
    """Scripts, styles and the EXIF reader of the walk map must open without a connection."""
    walk_id = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    html = client.get(f"/w/{code}/map").get_data(as_text=True)
    # The exact URLs, content version (?v=) included: the worker looks them up as requested.
    used = set(re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"#]+)"', html))
    used |= set(re.findall(r'"(/(?:static|vendor)/[^"#]+)"', html))  # JSON config, e.g. the exifr build
    used = {url.replace("&amp;", "&") for url in used}
    assert "/static/js/capture/main.js" in used and any(url.startswith("/vendor/exifr/") for url in used)
    assert used - set(worker_config(client)["precache"]) == set()


def test_worker_version_is_a_content_hash(client):
    first, second = worker_config(client)["version"], worker_config(client)["version"]
    assert re.fullmatch(r"[0-9a-f]{16}", first) and first == second


def test_version_changes_when_a_shell_file_changes(tmp_path):
    script = tmp_path / "main.js"
    script.write_text("export const a = 1;\n")
    before = shell.version([script], extra="/static/js/capture/main.js")
    script.write_text("export const a = 2;\n")
    assert shell.version([script], extra="/static/js/capture/main.js") != before
    main = shell.version([script], extra="/static/js/capture/main.js")
    assert shell.version([script], extra="/static/js/other.js") != main


def test_shell_files_skip_the_worker_and_other_folders(tmp_path):
    for name in ("js/capture/main.js", "js/worker/config.js", "css/app.css", "favicon.svg", "icons/icon-192.png", "uploads/x.jpg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert shell.shell_files(tmp_path) == ["css/app.css", "favicon.svg", "icons/icon-192.png", "js/capture/main.js"]


def test_the_worker_is_its_parts_joined_in_order_with_one_config_line(client):
    """/sw.js is one classic script: every part, in WORKER_PARTS order, and CONFIG filled in once."""
    static = Path(__file__).resolve().parents[2] / "static"
    served = client.get("/sw.js").get_data(as_text=True)
    assert sorted(p.name for p in (static / shell.WORKER_DIR).glob("*.js")) == sorted(shell.WORKER_PARTS)
    config, *others = [path.read_text("utf-8") for path in shell.worker_parts(static)]
    positions = [served.index(config.split("const CONFIG = ")[1].split("\n", 1)[1])] + [served.index(o) for o in others]
    assert positions == sorted(positions) and served.startswith(config.split("const CONFIG = ")[0])
    assert served.count("const CONFIG = ") == 1 and "version: 'dev'" not in served
    assert not re.search(r"^\s*(import|export)\b", served, re.MULTILINE)  # a classic script, importScripts-free


def test_render_worker_fills_in_the_config_line_only():
    source = "// head\nconst CONFIG = { version: 'dev', precache: [], pages: ['/'] };\nconst OTHER = 1;\n"
    rendered = shell.render_worker(source, "abc", ["/static/js/capture/main.js"], ["/"])
    assert 'const CONFIG = {"version":"abc","precache":["/static/js/capture/main.js"],"pages":["/"]};' in rendered
    assert rendered.endswith("const OTHER = 1;\n")
    with pytest.raises(ValueError):
        shell.render_worker("const OTHER = 1;\n", "abc", [], [])


def test_worker_never_handles_writes():
    """The outbox sends POST/PUT/PATCH/DELETE from the page; the worker must let them pass."""
    source = shell.worker_source(Path(__file__).resolve().parents[2] / "static")
    assert "if (request.method !== 'GET') return;" in source


def test_worker_keeps_tiles_of_the_configured_host_and_of_the_basemap(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", "https://{s}.tiles.example.de/{z}/{x}/{y}.png")
    monkeypatch.setitem(app.config, "TILE_CACHE_ENTRIES", 50)
    response = client.get("/sw.js")
    config = worker_config(client)
    patterns = [re.compile(source) for source in config["tiles"]]
    assert config["tileEntries"] == 50

    def kept(url):
        return any(pattern.match(url) for pattern in patterns)

    assert kept("https://b.tiles.example.de/16/34041/21824.png")
    assert kept("http://localhost/basemap/15/17020/10912.mvt")
    assert not kept("https://b.tiles.example.de/16/34041/21824.png.evil")
    assert not kept("http://localhost/api/findings")
    # The worker fetches the tiles itself: its own policy must admit the tile host.
    assert "connect-src 'self' https://*.tiles.example.de" in response.headers["Content-Security-Policy"]


def test_worker_keeps_tiles_served_by_the_app_itself(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", "/test-tiles/{z}/{x}/{y}.png")
    patterns = [re.compile(source) for source in worker_config(client)["tiles"]]
    assert any(pattern.match("http://localhost/test-tiles/3/4/5.png") for pattern in patterns)
    assert "connect-src 'self';" in client.get("/sw.js").headers["Content-Security-Policy"] + ";"


def test_worker_stores_the_offline_page_in_every_language(app, client):
    offline = worker_config(client)["offline"]
    assert offline == {"de": "/offline/de", "de-x-simple": "/offline/de_simple", "en": "/offline/en",
                       "tr": "/offline/tr", "ar": "/offline/ar"}
    assert set(offline.values()) - set(worker_config(client)["precache"]) == set(offline.values()), \
        "offline pages are stored beside the shell, not fetched as its subresources"


def test_tile_pattern_reads_leaflet_placeholders():
    pattern = re.compile(shell.tile_pattern("https://{s}.example.de/{z}/{x}/{y}{r}.png?key=k"))
    assert pattern.match("https://a.example.de/1/2/3@2x.png?key=k")
    assert pattern.match("https://a.example.de/1/2/3.png?key=k")
    assert not pattern.match("https://a.example.de/1/2/3.png?key=other")


def test_the_vendor_modules_the_scripts_import_are_precached_under_the_url_they_import(client):
    """static/js/shared/leaflet.js imports Leaflet (and markercluster) by path, without ``?v=``."""
    precache = set(worker_config(client)["precache"])
    for endpoint, filename in VENDOR_MODULES:
        assert f"/vendor/{endpoint.removeprefix('vendor.')}/{filename}" in precache
