"""Uploading photos of a finding: PUT by hash, idempotent retries, limits, who may."""
import hashlib
import io
import threading
import uuid

from PIL import Image
from sqlalchemy import text

from mapapp.photos.storage import photo_key
from tests.factories import finding_payload
from tests.photos.conftest import act_as
from tests.photos.images import distinct_jpegs, gps_exif, jpeg, picture

JPEG = {"Content-Type": "image/jpeg"}


def put(client, finding_id, data, headers=JPEG, sha256=None):
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    return client.put(f"/api/findings/{finding_id}/photos/{sha256}", data=data, headers=headers)


def photo_count(session, finding_id) -> int:
    session.rollback()
    return session.execute(text("SELECT count(*) FROM photos WHERE finding_id = :id"), {"id": finding_id}).scalar()


def finding_exists(client, finding_id) -> bool:
    return client.get(f"/api/findings/{finding_id}").status_code == 200


def test_put_stores_a_photo_and_answers_its_record(participant_client, finding_id, session):
    data = jpeg(picture((2400, 1800)), exif=gps_exif())
    sha256 = hashlib.sha256(data).hexdigest()
    response = put(participant_client, finding_id, data, {"Content-Type": "image/jpeg", "X-Filename": "IMG_1.jpg"})
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    stored = session.execute(text("SELECT id, stored_sha256 FROM photos WHERE finding_id = :id"),
                             {"id": finding_id}).one()
    assert photo == {
        "id": str(stored.id), "finding_id": str(finding_id), "sha256": sha256,
        "width": 1600, "height": 1200, "position": 0,
        "url": f"/photos/{stored.stored_sha256}/web.jpg",
        "thumb_url": f"/photos/{stored.stored_sha256}/thumb.jpg",
    }


def test_stored_files_carry_no_exif_or_gps(participant_client, finding_id, photo_storage):
    photo = put(participant_client, finding_id, jpeg(exif=gps_exif(orientation=6))).get_json()
    for url in (photo["url"], photo["thumb_url"]):
        response = participant_client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
        stored_sha256, kind = url.split("/")[2], url.rsplit("/", 1)[1].removesuffix(".jpg")
        on_disk = photo_storage.path(photo_key(stored_sha256, kind)).read_bytes()
        assert on_disk == response.data
        image = Image.open(io.BytesIO(on_disk))
        assert dict(image.getexif()) == {} and "exif" not in image.info
        assert b"Exif\x00\x00" not in on_disk and b"TestPhone" not in on_disk
    assert (photo["width"], photo["height"]) == (600, 800)  # orientation 6 applied


def test_repeat_put_answers_200_with_the_same_record(participant_client, finding_id, session):
    data = jpeg()
    first = put(participant_client, finding_id, data)
    again = put(participant_client, finding_id, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert photo_count(session, finding_id) == 1


def test_concurrent_retries_store_one_photo(app, participant_client, finding_id, session):
    data, workers = jpeg(picture((2000, 1500))), 4
    clients = [act_as(app, app.test_client(), participant_client.participant_id) for _ in range(workers)]
    start, statuses = threading.Barrier(workers), []

    def upload(client):
        start.wait()
        statuses.append(put(client, finding_id, data).status_code)

    threads = [threading.Thread(target=upload, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * (workers - 1) + [201]
    assert photo_count(session, finding_id) == 1


def test_body_not_matching_the_url_hash_is_refused(participant_client, finding_id, session):
    data = jpeg()
    response = put(participant_client, finding_id, data[:-100], sha256=hashlib.sha256(data).hexdigest())
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"sha256"}
    assert put(participant_client, finding_id, data, sha256="not-a-hash").status_code == 422
    assert photo_count(session, finding_id) == 0


def test_sixth_photo_refused_but_retries_of_the_five_still_answer(participant_client, finding_id, session):
    photos = distinct_jpegs(6)
    for position, data in enumerate(photos[:5]):
        response = put(participant_client, finding_id, data)
        assert response.status_code == 201
        assert response.get_json()["position"] == position
    sixth = put(participant_client, finding_id, photos[5], {"Content-Type": "image/jpeg", "X-Filename": "IMG_6.jpg"})
    assert sixth.status_code == 422
    assert sixth.get_json()["fields"] == {"photo": "IMG_6.jpg is one too many: a finding has at most 5 photos"}
    assert put(participant_client, finding_id, photos[0]).status_code == 200
    assert photo_count(session, finding_id) == 5


def test_png_and_webp_accepted(participant_client, finding_id):
    for fmt, mimetype in (("PNG", "image/png"), ("WEBP", "image/webp")):
        out = io.BytesIO()
        picture((500, 400), colour=(10, 120, 10) if fmt == "PNG" else (10, 10, 120)).save(out, fmt)
        response = put(participant_client, finding_id, out.getvalue(), {"Content-Type": mimetype})
        assert response.status_code == 201, response.get_json()


def test_text_renamed_jpg_refused_and_the_finding_survives(participant_client, finding_id, session):
    response = put(participant_client, finding_id, b"Notizen zur Begehung\n" * 50,
                   {"Content-Type": "image/jpeg", "X-Filename": "IMG_1.jpg"})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"photo": "IMG_1.jpg is not an image we can read"}
    assert finding_exists(participant_client, finding_id)
    assert photo_count(session, finding_id) == 0


def test_over_15_mb_refused_with_413_naming_photo(participant_client, finding_id, session):
    response = put(participant_client, finding_id, b"\xff" * (15 * 1024 * 1024 + 1))
    assert response.status_code == 413
    body = response.get_json()
    assert body["error"] == "too_large" and "15 MB" in body["fields"]["photo"]
    assert finding_exists(participant_client, finding_id)
    assert photo_count(session, finding_id) == 0


def test_json_endpoints_keep_the_small_body_limit(participant_client):
    response = participant_client.post("/api/findings", data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
                                       headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_non_image_content_type_refused(participant_client, finding_id):
    response = put(participant_client, finding_id, jpeg(), {"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_only_the_findings_participant_may_add(app, participant_client, other_client, finding_id, session):
    data = jpeg()
    response = put(other_client, finding_id, data)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert put(app.test_client(), finding_id, data).status_code == 403  # no cookie at all
    forged = app.test_client()
    forged.set_cookie("mapapp_participant", str(participant_client.participant_id))
    assert put(forged, finding_id, data).status_code == 403  # unsigned cookie
    multipart = other_client.post(f"/api/findings/{finding_id}/photos",
                                  data={"photo": (io.BytesIO(data), "a.jpg")})
    assert multipart.status_code == 403
    assert photo_count(session, finding_id) == 0


def test_unknown_finding_is_404(participant_client):
    response = put(participant_client, uuid.uuid4(), jpeg())
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert participant_client.get(f"/api/findings/{uuid.uuid4()}/photos").status_code == 404


def test_concurrent_different_photos_never_exceed_five(app, participant_client, finding_id, session):
    photos = distinct_jpegs(7)
    for data in photos[:4]:
        assert put(participant_client, finding_id, data).status_code == 201
    clients = [act_as(app, app.test_client(), participant_client.participant_id) for _ in range(3)]
    start, statuses = threading.Barrier(3), []

    def upload(client, data):
        start.wait()
        statuses.append(put(client, finding_id, data).status_code)

    threads = [threading.Thread(target=upload, args=pair) for pair in zip(clients, photos[4:])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 422, 422]
    positions = session.execute(text("SELECT array_agg(position ORDER BY position) FROM photos WHERE finding_id = :id"),
                                {"id": finding_id}).scalar()
    assert positions == [0, 1, 2, 3, 4]


def test_the_participant_who_posted_the_finding_may_add_photos(app, photo_storage, session):
    client = app.test_client()
    payload = finding_payload()
    assert client.post("/api/findings", json=payload).status_code == 201
    assert put(client, payload["id"], jpeg()).status_code == 201
    assert put(app.test_client(), payload["id"], distinct_jpegs(1)[0]).status_code == 403
