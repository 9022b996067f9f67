"""Photos up to PHOTO_MAX_BYTES (15 MB) are stored, although every other request stays under
MAX_CONTENT_LENGTH (2 MB): the upload routes get their limit before any hook opens the body."""
import hashlib
import io

from PIL import Image

from mapapp.photos.storage import photo_key
from tests.photos.images import gps_exif, noisy_jpeg
from tests.photos.test_manage import post
from tests.photos.test_upload import photo_count, put

MB = 1024 * 1024


def big_photo() -> bytes:
    """A real, unshrunk 12-megapixel phone photo of about 14 MB, with place and camera in its EXIF."""
    data = noisy_jpeg((4000, 3000), exif=gps_exif())
    assert 13 * MB < len(data) <= 15 * MB, f"the test photo should be just under the limit, is {len(data)} bytes"
    return data


def assert_stored_without_metadata(photo_storage, photo):
    for url in (photo["url"], photo["thumb_url"]):
        stored_sha256, kind = url.split("/")[2], url.rsplit("/", 1)[1].removesuffix(".jpg")
        on_disk = photo_storage.path(photo_key(stored_sha256, kind)).read_bytes()
        image = Image.open(io.BytesIO(on_disk))
        assert dict(image.getexif()) == {} and b"TestPhone" not in on_disk


def test_a_14_mb_photo_is_stored_by_put_as_the_page_sends_it(participant_client, finding_id, session,
                                                               photo_storage):
    data = big_photo()
    response = put(participant_client, finding_id, data, {"Content-Type": "image/jpeg", "X-Filename": "IMG_9.jpg"})
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    assert photo["sha256"] == hashlib.sha256(data).hexdigest()
    assert (photo["width"], photo["height"]) == (1600, 1200)
    assert_stored_without_metadata(photo_storage, photo)
    assert photo_count(session, finding_id) == 1


def test_a_14_mb_photo_is_stored_by_multipart_post(participant_client, finding_id, session, photo_storage):
    response = post(participant_client, finding_id, ("IMG_9.jpg", big_photo()))
    assert response.status_code == 201, response.get_json()
    [photo] = response.get_json()["photos"]
    assert (photo["width"], photo["height"]) == (1600, 1200)
    assert_stored_without_metadata(photo_storage, photo)
    assert photo_count(session, finding_id) == 1


def test_photos_just_over_the_app_wide_limit_are_stored(app, participant_client, finding_id, session):
    """The bug: 2.3 MB (a phone photo the page did not shrink) met the 2 MB limit of JSON bodies."""
    data = noisy_jpeg((1700, 1275))
    assert app.config["MAX_CONTENT_LENGTH"] < len(data) < 3 * MB
    assert put(participant_client, finding_id, data).status_code == 201
    assert photo_count(session, finding_id) == 1


def test_one_byte_over_the_limit_is_413_naming_the_photo(participant_client, finding_id, session):
    data = big_photo()
    padded = data + b"\0" * (15 * MB + 1 - len(data))  # still a JPEG: bytes after its end marker
    response = put(participant_client, finding_id, padded)
    assert response.status_code == 413
    body = response.get_json()
    assert body["error"] == "too_large"
    assert body["fields"] == {"photo": "is too large (at most 15 MB)"}
    assert photo_count(session, finding_id) == 0


def test_the_limit_follows_the_configuration(app, participant_client, finding_id, session, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 3 * MB)
    data = noisy_jpeg((1700, 1275))
    assert put(participant_client, finding_id, data).status_code == 201
    too_big = put(participant_client, finding_id, noisy_jpeg((2400, 1800)))
    assert too_big.status_code == 413 and too_big.get_json()["fields"]["photo"] == "is too large (at most 3 MB)"
    together = post(participant_client, finding_id, *[(f"IMG_{i}.jpg", noisy_jpeg((2000, 1500), seed=i))
                                                       for i in range(5)])
    assert together.status_code == 413
    assert together.get_json()["fields"]["photo"] == "are too large together (at most 5 photos of 3 MB each)"
    assert photo_count(session, finding_id) == 1


def test_other_api_bodies_keep_the_small_limit(participant_client, finding_id):
    response = participant_client.patch(f"/api/findings/{finding_id}", data=b"{" + b" " * (3 * MB) + b"}",
                                        headers={"Content-Type": "application/json"})
    assert response.status_code == 413
