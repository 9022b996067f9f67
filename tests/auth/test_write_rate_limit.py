"""Participants' writes share one budget per address; beyond it 429 JSON, nothing stored; reads free."""
import uuid

import pytest
from sqlalchemy import text

from tests.conftest import make_app
from tests.factories import finding_payload
from tests.open311.helpers import issue_key
from tests.open311.test_write import form


@pytest.fixture
def limited_app(app, tmp_path):
    """An app with limits switched on and three writes a minute per address."""
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       WRITE_RATE_LIMIT="3 per minute", UPLOAD_DIR=str(tmp_path / "uploads"))
    yield limited
    with limited.app_context():
        from mapapp.db import db

        db.engine.dispose()


def stored_ids(session) -> set[str]:
    session.rollback()
    return {str(i) for i in session.execute(text("SELECT id FROM findings")).scalars()}


def test_writes_beyond_the_limit_get_429_json_and_store_nothing(limited_app, session):
    client = limited_app.test_client()
    accepted = [finding_payload() for _ in range(3)]
    for body in accepted:
        assert client.post("/api/findings", json=body).status_code == 201
    refused_body = finding_payload()
    refused = client.post("/api/findings", json=refused_body)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "rate_limited"
    assert refused.get_json()["message"]
    assert int(refused.headers["Retry-After"]) > 0
    assert stored_ids(session) == {body["id"] for body in accepted}

    for _ in range(5):  # reads are not limited
        assert client.get("/api/findings").status_code == 200
        assert client.get(f"/api/findings/{accepted[0]['id']}").status_code == 200
    other = limited_app.test_client().post("/api/findings", json=finding_payload(),
                                           environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 201  # another address has its own budget


def test_confirmations_edits_and_photos_share_the_budget(limited_app, session):
    client = limited_app.test_client()
    body = finding_payload()
    assert client.post("/api/findings", json=body).status_code == 201
    url = f"/api/findings/{body['id']}"
    assert client.patch(url, json={"description": "Seit Mai leer"}).status_code == 200
    assert client.put(f"{url}/photos/{'0' * 64}", data=b"x", content_type="image/jpeg").status_code == 422
    refused = client.post(f"{url}/confirmations")
    assert refused.status_code == 429 and refused.get_json()["error"] == "rate_limited"
    assert client.delete(url).status_code == 429
    assert stored_ids(session) == {body["id"]}


def test_open311_posts_are_limited_in_the_georeport_error_format(limited_app, session):
    _id, key = issue_key(session)
    client = limited_app.test_client()
    for _ in range(3):
        assert client.post("/open311/v2/requests.json", data=form(key)).status_code == 201
    refused = client.post("/open311/v2/requests.json", data=form(key))
    assert refused.status_code == 429
    [error] = refused.get_json()
    assert error["code"] == 429 and error["description"]
    assert int(refused.headers["Retry-After"]) > 0
    assert len(stored_ids(session)) == 3
    assert client.get("/open311/v2/services.json").status_code == 200


def test_default_write_limit(app):
    assert app.config["WRITE_RATE_LIMIT"] == "600 per minute"
    assert app.config["RATELIMIT_ENABLED"] is False  # the other tests run unlimited


def test_limits_can_be_switched_off(app, session):
    unlimited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=False,
                         WRITE_RATE_LIMIT="1 per minute")
    client = unlimited.test_client()
    for _ in range(3):
        assert client.post("/api/findings", json=finding_payload(id=str(uuid.uuid4()))).status_code == 201
    with unlimited.app_context():
        from mapapp.db import db

        db.engine.dispose()
