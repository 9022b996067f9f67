"""``MAPAPP_BASEMAP_PMTILES``: the archive is opened at start, replaces the tile host everywhere,
and a file that is no PMTiles archive stops the start with a message naming it."""
import pytest

from mapapp.basemap.archive import ArchiveError
from mapapp.config import OSM_TILES
from tests.conftest import make_app


def test_a_configured_basemap_replaces_the_tile_host(app, basemap_file):
    served = make_app(app.config["SQLALCHEMY_DATABASE_URI"], TILE_URL=OSM_TILES, BASEMAP_PMTILES=str(basemap_file))
    assert served.config["TILE_URL"] == ""
    client = served.test_client()
    metadata = client.get("/basemap/metadata.json")
    assert metadata.status_code == 200 and metadata.get_json()["tile_type"] == "mvt"
    assert "openstreetmap" not in metadata.headers["Content-Security-Policy"]
    assert "openstreetmap" not in client.get("/sw.js").get_data(as_text=True)


def test_without_a_basemap_the_tile_host_stays(app):
    plain = make_app(app.config["SQLALCHEMY_DATABASE_URI"], TILE_URL=OSM_TILES)
    assert plain.config["TILE_URL"] == OSM_TILES
    assert "basemap" not in plain.extensions


@pytest.mark.parametrize("content", [b"", b"not a tile archive at all, but long enough to have a header" * 3])
def test_a_file_that_is_no_archive_stops_the_start(app, tmp_path, content):
    path = tmp_path / "duisburg.pmtiles"
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="duisburg.pmtiles"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], BASEMAP_PMTILES=str(path))


def test_a_missing_file_stops_the_start(app, tmp_path):
    with pytest.raises(ArchiveError, match="nowhere.pmtiles"):
        make_app(app.config["SQLALCHEMY_DATABASE_URI"], BASEMAP_PMTILES=str(tmp_path / "nowhere.pmtiles"))
