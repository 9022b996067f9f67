"""At upload a photo's faces are blurred in every stored copy; the unblurred original is kept
only when configured, and never served."""
import hashlib

from sqlalchemy import text

from mapapp.photos.storage import ORIGINAL, photo_key
from tests.photos.faces import assert_blurred, astronaut_jpeg, sharpness

JPEG = {"Content-Type": "image/jpeg"}


def upload(client, finding_id, data=None):
    data = data or astronaut_jpeg()
    response = client.put(f"/api/findings/{finding_id}/photos/{hashlib.sha256(data).hexdigest()}",
                          data=data, headers=JPEG)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored_row(session, photo_id):
    session.rollback()
    return session.execute(text("SELECT stored_sha256, original_sha256, blur_regions FROM photos WHERE id = :id"),
                           {"id": photo_id}).one()


def test_the_face_is_blurred_in_the_web_copy_and_thumbnail(participant_client, finding_id, session, photo_storage):
    photo = upload(participant_client, finding_id)
    web, thumb = participant_client.get(photo["url"]), participant_client.get(photo["thumb_url"])
    assert web.status_code == thumb.status_code == 200
    assert_blurred(web.data, 512)
    assert_blurred(thumb.data, 320)
    row = stored_row(session, photo["id"])
    assert [(r["kind"], r["source"]) for r in row.blur_regions] == [("face", "auto")]
    assert set(row.blur_regions[0]) == {"id", "x", "y", "w", "h", "kind", "source"}


def test_no_original_is_kept_by_default(participant_client, finding_id, session, photo_storage):
    photo = upload(participant_client, finding_id)
    assert stored_row(session, photo["id"]).original_sha256 is None
    assert not list(photo_storage.root.rglob(f"*_{ORIGINAL}.jpg"))


def test_a_kept_original_is_sharp_never_served_and_goes_with_the_photo(app, participant_client, finding_id, session,
                                                                        photo_storage, monkeypatch):
    monkeypatch.setitem(app.config, "KEEP_UNBLURRED_ORIGINALS", True)
    photo = upload(participant_client, finding_id)
    original = stored_row(session, photo["id"]).original_sha256
    kept = photo_storage.path(photo_key(original, ORIGINAL))
    assert sharpness(kept.read_bytes()) > 10 * sharpness(participant_client.get(photo["url"]).data)
    for kind in ("original", "web", "thumb"):
        assert participant_client.get(f"/photos/{original}/{kind}.jpg").status_code == 404
    assert participant_client.delete(f"/api/findings/{finding_id}/photos/{photo['id']}").status_code == 204
    assert not kept.exists()


def test_deleting_the_finding_removes_its_kept_original(app, participant_client, finding_id, session, photo_storage,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "KEEP_UNBLURRED_ORIGINALS", True)
    photo = upload(participant_client, finding_id)
    kept = photo_storage.path(photo_key(stored_row(session, photo["id"]).original_sha256, ORIGINAL))
    assert kept.exists()
    assert participant_client.delete(f"/api/findings/{finding_id}").status_code == 204
    assert not kept.exists()
    assert not list(photo_storage.root.rglob("*.jpg"))
