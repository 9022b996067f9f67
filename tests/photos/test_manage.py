"""Multipart uploads, listing, deleting and serving photos of a finding."""
import hashlib
import io

import pytest
from sqlalchemy import text

from mapapp.photos.storage import photo_key
from tests.factories import make_finding
from tests.photos.images import distinct_jpegs, jpeg
from tests.photos.test_upload import photo_count, put


def files(*named):
    return {"photo": [(io.BytesIO(data), name) for name, data in named]}


def post(client, finding_id, *named):
    return client.post(f"/api/findings/{finding_id}/photos", data=files(*named),
                       content_type="multipart/form-data")


def test_multipart_keeps_good_files_and_names_bad_ones(participant_client, finding_id, session):
    first, second = distinct_jpegs(2)
    response = post(participant_client, finding_id, ("IMG_1.jpg", first), ("notes.jpg", b"just text"),
                    ("IMG_2.jpg", second))
    assert response.status_code == 201
    body = response.get_json()
    assert [photo["sha256"] for photo in body["photos"]] == [hashlib.sha256(d).hexdigest() for d in (first, second)]
    assert [photo["position"] for photo in body["photos"]] == [0, 1]
    assert body["error"] == "validation_failed"
    assert body["fields"] == {"photo": "notes.jpg is not an image we can read"}
    assert photo_count(session, finding_id) == 2


def test_multipart_repeat_is_200_and_all_bad_is_422(participant_client, finding_id, session):
    data = jpeg()
    assert post(participant_client, finding_id, ("IMG_1.jpg", data)).status_code == 201
    assert post(participant_client, finding_id, ("IMG_1.jpg", data)).status_code == 200
    bad = post(participant_client, finding_id, ("a.jpg", b"x"), ("b.png", b"y"))
    assert bad.status_code == 422
    assert bad.get_json()["photos"] == []
    assert bad.get_json()["fields"]["photo"] == "a.jpg is not an image we can read; b.png is not an image we can read"
    none = participant_client.post(f"/api/findings/{finding_id}/photos", data={}, content_type="multipart/form-data")
    assert none.status_code == 422 and "photo" in none.get_json()["fields"]
    assert photo_count(session, finding_id) == 1


def test_list_in_order_for_anyone(app, participant_client, finding_id):
    added = [put(participant_client, finding_id, data).get_json() for data in distinct_jpegs(3)]
    response = app.test_client().get(f"/api/findings/{finding_id}/photos")
    assert response.status_code == 200
    assert response.get_json() == {"photos": added}


def test_delete_closes_the_gap_and_removes_unused_files(participant_client, finding_id, photo_storage):
    added = [put(participant_client, finding_id, data).get_json() for data in distinct_jpegs(3)]
    middle = added[1]
    response = participant_client.delete(f"/api/findings/{finding_id}/photos/{middle['id']}")
    assert response.status_code == 204
    left = participant_client.get(f"/api/findings/{finding_id}/photos").get_json()["photos"]
    assert [(p["id"], p["position"]) for p in left] == [(added[0]["id"], 0), (added[2]["id"], 1)]
    stored = middle["url"].split("/")[2]
    assert not photo_storage.exists(photo_key(stored, "web"))
    assert not photo_storage.exists(photo_key(stored, "thumb"))
    assert participant_client.get(middle["url"]).status_code == 404
    again = participant_client.delete(f"/api/findings/{finding_id}/photos/{middle['id']}")
    assert again.status_code == 404
    assert put(participant_client, finding_id, distinct_jpegs(4)[3]).get_json()["position"] == 2


def test_files_shared_by_two_findings_stay_until_the_last_is_deleted(participant_client, finding_id, session,
                                                                    photo_storage):
    second = make_finding(session)
    session.execute(text("UPDATE findings SET participant_id = :p WHERE id = :id"),
                    {"p": participant_client.participant_id, "id": second})
    session.commit()
    data = jpeg()
    one = put(participant_client, finding_id, data).get_json()
    two = put(participant_client, second, data).get_json()
    assert one["url"] == two["url"] and one["id"] != two["id"]
    participant_client.delete(f"/api/findings/{finding_id}/photos/{one['id']}")
    assert participant_client.get(two["url"]).status_code == 200
    participant_client.delete(f"/api/findings/{second}/photos/{two['id']}")
    assert participant_client.get(two["url"]).status_code == 404


def test_only_the_findings_participant_may_delete(participant_client, other_client, finding_id, session):
    photo = put(participant_client, finding_id, jpeg()).get_json()
    response = other_client.delete(f"/api/findings/{finding_id}/photos/{photo['id']}")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert photo_count(session, finding_id) == 1


def test_serving_answers_304_and_404(participant_client, finding_id):
    photo = put(participant_client, finding_id, jpeg()).get_json()
    first = participant_client.get(photo["thumb_url"])
    revalidated = participant_client.get(photo["thumb_url"], headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    assert participant_client.get("/photos/" + "0" * 64 + "/web.jpg").status_code == 404
    assert participant_client.get("/photos/../../etc/passwd/web.jpg").status_code == 404
    assert participant_client.get(photo["url"].replace("web.jpg", "original.jpg")).status_code == 404


def test_deleting_a_finding_removes_its_photo_files(participant_client, finding_id, photo_storage, session):
    photo = put(participant_client, finding_id, distinct_jpegs(1)[0]).get_json()
    stored = photo["url"].split("/")[2]
    assert photo_storage.exists(photo_key(stored, "web"))
    assert participant_client.delete(f"/api/findings/{finding_id}").status_code == 204
    assert not photo_storage.exists(photo_key(stored, "web"))
    assert not photo_storage.exists(photo_key(stored, "thumb"))
    assert session.execute(text("SELECT count(*) FROM photos")).scalar() == 0


@pytest.mark.parametrize("lang, message", [
    ("de", "Nur wer den Fund gemeldet hat, kann seine Fotos ändern."),
    ("en", "Only the person who reported this finding can change its photos."),
    ("ar", "فقط من أبلغ عن هذه الملاحظة يمكنه تغيير صورها."),
])
def test_refusal_speaks_the_participants_language(participant_client, other_client, finding_id, lang, message):
    photo = put(participant_client, finding_id, jpeg()).get_json()
    response = other_client.delete(f"/api/findings/{finding_id}/photos/{photo['id']}",
                                   headers={"Accept-Language": lang})
    assert response.status_code == 403 and response.get_json()["message"] == message
