"""Moderation fixtures: the app in a chosen mode, findings with text and photos sent like a phone does."""
import hashlib
import uuid

import pytest

from tests.factories import finding_payload
from tests.photos.images import jpeg, picture

TEXT = "Geheimer Text 7f3a: Schaufenster eingeschlagen"


@pytest.fixture
def mode(app, monkeypatch):
    """Set the moderation mode for this test (default ``pre``); returns a setter for another one."""
    def set_mode(value: str):
        monkeypatch.setitem(app.config, "MODERATION", value)

    set_mode("pre")
    return set_mode


def send_finding(client, text: str = TEXT, photos: int = 1, **overrides) -> dict:
    """POST a finding with ``text`` and PUT ``photos`` photos as the participant ``client``;
    return ``{"id", "photos": [{"id", "stored_sha256"}]}``."""
    body = finding_payload(description=text, **overrides)
    response = client.post("/api/findings", json=body)
    assert response.status_code == 201, response.text
    sent = []
    for _ in range(photos):
        data = jpeg(picture(colour=tuple(uuid.uuid4().bytes[:3])))
        sha = hashlib.sha256(data).hexdigest()
        answer = client.put(f"/api/findings/{body['id']}/photos/{sha}", data=data,
                            headers={"Content-Type": "image/jpeg"})
        assert answer.status_code == 201, answer.text
        photo = answer.get_json()
        sent.append({"id": photo["id"], "stored_sha256": photo["url"].split("/")[2]})
    return {"id": uuid.UUID(body["id"]), "photos": sent}
