"""Writes to the JSON API must say they send JSON (415 otherwise).

A cross-site page can POST a text/plain, form or multipart body without asking (a form with
``enctype="text/plain"``, a ``no-cors`` fetch), never ``application/json``; a JSON API that
reads any body as JSON lets such pages post findings.
"""
import json

import pytest
from sqlalchemy import text

from mapapp.api.openapi import openapi_document
from tests.factories import finding_payload, make_finding, make_user
from tests.auth.helpers import log_in


def count_findings(session):
    return session.execute(text("SELECT count(*) FROM findings")).scalar()


def assert_415(response):
    assert response.status_code == 415, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "unsupported_media_type"
    assert set(body["fields"]) == {"Content-Type"}


@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    None,
])
def test_a_finding_sent_as_anything_but_json_is_refused(client, session, content_type):
    response = client.post("/api/findings", data=json.dumps(finding_payload()), content_type=content_type)
    assert_415(response)
    assert count_findings(session) == 0


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/vnd.mapapp+json"])
def test_json_with_parameters_or_a_json_suffix_is_accepted(client, session, content_type):
    response = client.post("/api/findings", data=json.dumps(finding_payload()), content_type=content_type)
    assert response.status_code == 201
    assert count_findings(session) == 1


def test_a_change_must_be_json_too_merge_patch_included(client, session):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    url = f"/api/findings/{body['id']}"
    assert_415(client.patch(url, data=json.dumps({"description": "geändert"}), content_type="text/plain"))
    changed = client.patch(url, data=json.dumps({"description": "geändert"}),
                           content_type="application/merge-patch+json")
    assert changed.status_code == 200
    assert changed.get_json()["properties"]["description"] == "geändert"


def test_a_plus_one_without_a_json_content_type_is_refused(app, session):
    finding = make_finding(session)
    voter = app.test_client()
    voter.get("/")
    assert_415(voter.post(f"/api/findings/{finding}/confirmations"))
    assert_415(voter.post(f"/api/findings/{finding}/confirmations", data="", content_type="text/plain"))
    assert voter.get(f"/api/findings/{finding}").get_json()["properties"]["confirmations"] == 0
    assert voter.post(f"/api/findings/{finding}/confirmations", json={}).status_code == 201


def test_the_review_api_requires_json(app, session):
    make_user(session, "orga")
    finding = make_finding(session, category="cycle_path")
    client = app.test_client()
    assert log_in(client, "orga").status_code == 302
    body = json.dumps({"title": "Radweg", "category": "cycle_path", "finding_ids": [str(finding)]})
    assert_415(client.post("/api/review/concerns", data=body, content_type="text/plain"))
    assert session.execute(text("SELECT count(*) FROM concerns")).scalar() == 0
    assert client.post("/api/review/concerns", data=body, content_type="application/json").status_code == 201


def test_deleting_needs_no_content_type(client, session):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    assert client.delete(f"/api/findings/{body['id']}").status_code == 204


def test_photo_uploads_are_not_json_and_are_not_refused_for_it(client, session):
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    url = f"/api/findings/{body['id']}/photos"
    # Past the media type check, each is refused for what it is: bytes that are not the ones named, no photo.
    put = client.put(f"{url}/{'0' * 64}", data=b"not a photo", content_type="image/jpeg")
    assert put.status_code == 422 and "sha256" in put.get_json()["fields"], put.get_json()
    post = client.post(url, data={}, content_type="multipart/form-data")
    assert post.status_code == 422 and "photo" in post.get_json()["fields"], post.get_json()


def test_the_document_lists_the_415_of_every_write():
    paths = openapi_document()["paths"]
    for path, method in (("/api/findings", "post"), ("/api/findings/{id}", "patch"),
                         ("/api/findings/{id}/confirmations", "post")):
        assert "415" in paths[path][method]["responses"], (path, method)
    assert "415" not in paths["/api/findings/{id}"]["delete"]["responses"]
    confirm = paths["/api/findings/{id}/confirmations"]["post"]
    assert "application/json" in confirm["requestBody"]["content"]
    assert confirm["responses"]["403"]
