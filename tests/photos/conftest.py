"""Fixtures for photo tests: a private upload directory and a client acting as a participant."""
import uuid

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import text

from mapapp.findings.participants import COOKIE
from tests.factories import make_finding


def new_participant(session) -> uuid.UUID:
    participant_id = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id) VALUES (:id)"), {"id": participant_id})
    session.commit()
    return participant_id


def act_as(app, client, participant_id: uuid.UUID):
    """Give ``client`` the signed participant cookie the app would have set."""
    token = URLSafeSerializer(app.secret_key, salt="participant").dumps(str(participant_id))
    client.set_cookie(COOKIE, token)
    client.participant_id = participant_id
    return client



@pytest.fixture
def participant_client(app, session, photo_storage):
    """A test client carrying a new participant's cookie (``client.participant_id``)."""
    return act_as(app, app.test_client(), new_participant(session))


@pytest.fixture
def other_client(app, session, photo_storage):
    """A second participant, who made none of the findings."""
    return act_as(app, app.test_client(), new_participant(session))


@pytest.fixture
def finding_id(session, participant_client) -> uuid.UUID:
    """A finding made by ``participant_client``'s participant."""
    found = make_finding(session)
    session.execute(text("UPDATE findings SET participant_id = :p WHERE id = :id"),
                    {"p": participant_client.participant_id, "id": found})
    session.commit()
    return found
