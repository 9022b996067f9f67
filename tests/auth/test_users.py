"""Organiser accounts: the CLI creates them, passwords are stored as Argon2 hashes only."""
import pytest
from sqlalchemy import text

from mapapp.auth import users
from mapapp.errors import ValidationFailed

PASSWORD = "lange-genug-2026"


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def stored_hash(session, username):
    session.rollback()
    return session.execute(text("SELECT password_hash FROM users WHERE username = :u"), {"u": username}).scalar()


def test_cli_creates_a_user_with_a_hashed_password(app, session):
    result = run(app, "users", "create", "Anna", "--display-name", "Anna Beispiel", "--password-stdin",
                 input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created organiser 'anna'" in result.output
    password_hash = stored_hash(session, "anna")
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash
    assert users.authenticate(session, "anna", PASSWORD).display_name == "Anna Beispiel"

    listing = run(app, "users", "list")
    assert listing.exit_code == 0
    assert "anna" in listing.output and "Anna Beispiel" in listing.output and "active" in listing.output


def test_cli_prompts_twice_with_hidden_input(app, session):
    result = run(app, "users", "create", "bernd", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert stored_hash(session, "bernd").startswith("$argon2")


def test_cli_refuses_a_mismatched_confirmation(app, session):
    result = run(app, "users", "create", "carla", input=f"{PASSWORD}\nanders-getippt\n" * 2)
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert stored_hash(session, "carla") is None


def test_cli_refuses_duplicates_and_short_passwords_in_one_line(app, session):
    assert run(app, "users", "create", "dora", "--password-stdin", input=PASSWORD).exit_code == 0
    again = run(app, "users", "create", "DORA", "--password-stdin", input=PASSWORD)
    assert again.exit_code != 0 and "taken" in again.output and "Traceback" not in again.output
    short = run(app, "users", "create", "emil", "--password-stdin", input="kurz\n")
    assert short.exit_code != 0 and "password" in short.output
    assert stored_hash(session, "emil") is None


def test_create_user_validates(session):
    with pytest.raises(ValidationFailed) as err:
        users.create_user(session, "x y", "kurz")
    assert set(err.value.fields) == {"username", "password"}
    users.create_user(session, "frieda", PASSWORD)
    with pytest.raises(ValidationFailed) as err:
        users.create_user(session, " Frieda ", PASSWORD)
    assert "username" in err.value.fields


def test_authenticate(session):
    account = users.create_user(session, "gerd", PASSWORD, display_name="Gerd")
    assert users.authenticate(session, "Gerd", PASSWORD) == account
    assert users.authenticate(session, "gerd", PASSWORD + "x") is None
    assert users.authenticate(session, "niemand", PASSWORD) is None
    assert users.authenticate(session, "gerd", "") is None
    session.execute(text("UPDATE users SET active = false WHERE id = :id"), {"id": account.id})
    session.commit()
    assert users.authenticate(session, "gerd", PASSWORD) is None
