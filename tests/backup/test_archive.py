"""Backup and restore: every finding (same id, geometry, districts) and every photo comes back."""
import io
import json
import tarfile

import pytest
from sqlalchemy import text

from mapapp.backup import archive as backup
from mapapp.db import db
from mapapp.photos import service
from mapapp.photos.storage import LocalStorage
from tests.conftest import TEST_DATABASE, fresh_database, make_app
from tests.factories import BISMARCKPLATZ, HAUPTBAHNHOF, RHEINHAUSEN_MARKT, make_finding
from tests.photos.images import jpeg, picture

ROWS = """SELECT f.id::text, ST_AsText(f.geom) AS geom, f.category_slug, o.code AS ortsteil,
                 s.code AS stadtbezirk FROM findings f
          LEFT JOIN districts o ON o.id = f.ortsteil_id LEFT JOIN districts s ON s.id = f.stadtbezirk_id
          ORDER BY 1"""


@pytest.fixture
def findings_with_photos(session, tmp_path):
    """Three findings (a point in each of three Stadtbezirke, one line), two with photos."""
    storage = LocalStorage(tmp_path / "uploads")
    ids = [make_finding(session, *BISMARCKPLATZ), make_finding(session, *HAUPTBAHNHOF, category="noise"),
           make_finding(session, category="cycle_path", geometry=json.dumps({
               "type": "LineString", "coordinates": [[6.712, 51.401], [6.714, 51.402]]}))]
    for colour, finding_id in zip([(200, 40, 40), (40, 200, 40)], ids[:2]):
        service.add_photo(session, storage, finding_id, jpeg(picture(colour=colour)), "a.jpg")
    service.add_photo(session, storage, ids[0], jpeg(picture(colour=(40, 40, 200))), "b.jpg")
    session.commit()
    return storage


@pytest.fixture
def restore_url():
    return fresh_database(f"{TEST_DATABASE}_restore")


def test_restore_into_an_empty_database_finds_every_finding_and_photo(app, session, findings_with_photos,
                                                                       restore_url, tmp_path):
    archive = tmp_path / "mapapp.backup"
    manifest = backup.backup(app.config["SQLALCHEMY_DATABASE_URI"], findings_with_photos, archive)
    assert manifest["counts"] == {"findings": 3, "photos": 3}
    assert manifest["photo_files"] == 6 and manifest["missing_photo_files"] == []
    assert manifest["alembic_revision"]
    with tarfile.open(archive) as tar:
        assert {backup.DUMP, backup.MANIFEST} <= set(tar.getnames())
        assert json.load(tar.extractfile(backup.MANIFEST)) == manifest
    expected = [dict(row) for row in session.execute(text(ROWS)).mappings()]
    photos = [p for row in expected for p in service.list_photos(session, row["id"])]
    photo_urls = [p[kind] for p in photos for kind in ("url", "thumb_url")]
    assert len(photo_urls) == 6

    uploads = LocalStorage(tmp_path / "restored-uploads")
    result = backup.restore(restore_url, uploads, archive)
    assert result["found"] == {"findings": 3, "photos": 3, "photo_files": 6}

    restored = make_app(restore_url, UPLOAD_DIR=str(uploads.root))
    try:
        with restored.app_context():
            assert [dict(row) for row in db.session.execute(text(ROWS)).mappings()] == expected
        client = restored.test_client()
        for row in expected:
            assert client.get(f"/api/findings/{row['id']}").status_code == 200
        for url in photo_urls:
            served = client.get(url)
            assert served.status_code == 200 and served.mimetype == "image/jpeg"
    finally:
        with restored.app_context():
            db.engine.dispose()
    again = backup.restore(restore_url, uploads, archive, force=True)  # over the restored database
    assert again["found"] == {"findings": 3, "photos": 3, "photo_files": 6}


def test_restore_refuses_a_database_with_tables_unless_forced(app, session, findings_with_photos, tmp_path):
    archive = tmp_path / "mapapp.backup"
    backup.backup(app.config["SQLALCHEMY_DATABASE_URI"], findings_with_photos, archive)
    with pytest.raises(backup.BackupError, match="not empty .*findings"):
        backup.restore(app.config["SQLALCHEMY_DATABASE_URI"], LocalStorage(tmp_path / "other"), archive)
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 3


@pytest.mark.parametrize("part", [backup.DUMP, backup.PHOTOS])
def test_a_damaged_archive_is_refused_before_anything_is_restored(app, findings_with_photos, restore_url,
                                                                   tmp_path, part):
    archive = tmp_path / "mapapp.backup"
    manifest = backup.backup(app.config["SQLALCHEMY_DATABASE_URI"], findings_with_photos, archive)
    damaged = tmp_path / "damaged.backup"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as out:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == backup.MANIFEST:
                data = json.dumps({**manifest, "sha256": {**manifest["sha256"], part: "0" * 64}}).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    other = LocalStorage(tmp_path / "other")
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(restore_url, other, damaged)
    assert not other.root.exists()
    target = backup.Target.from_url(restore_url)
    with target.connect() as conn:
        assert conn.execute("SELECT count(*) FROM pg_class WHERE relname = 'findings'").fetchone()[0] == 0


def test_cli_backup_and_restore(app, findings_with_photos, restore_url, tmp_path, monkeypatch):
    archive = tmp_path / "cli.backup"
    monkeypatch.setitem(app.extensions, "photo_storage", findings_with_photos)
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "3 findings, 3 photos (6 files)" in made.output
    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0 and "not empty" in refused.output
