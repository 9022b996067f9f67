"""New passwords must be hard to guess: long enough, not a common password or pattern (zxcvbn),
not containing the username. The refusal says why: in the form (translated) and in the CLI."""
import pytest

from mapapp.auth import users
from mapapp.errors import ValidationFailed
from tests.auth.helpers import PASSWORD, can_sign_in, log_in, make_account, make_organiser

WEAK = ["1234567890", "password12", "passwort123", "qwertzuiop", "aaaaaaaaaaaa", "Sommer2026", "0123456789abc"]


@pytest.mark.parametrize("password", WEAK)
def test_common_passwords_and_patterns_are_refused(session, password):
    assert users.password_problem(password, "anna") == users.PASSWORD_TOO_GUESSABLE
    with pytest.raises(ValidationFailed) as err:
        users.create_user(session, "anna", password)
    assert err.value.fields == {"password": users.PASSWORD_TOO_GUESSABLE}
    assert users.find_user(session, "anna") is None


@pytest.mark.parametrize("password", [PASSWORD, "kaktus-gießkanne-nordwind", "Der Rhein fließt gen Norden 7"])
def test_long_unusual_passwords_are_taken(session, password):
    assert users.password_problem(password, "anna") is None


def test_a_password_must_not_contain_the_username(session):
    assert users.password_problem("friedhelm-am-rhein-7", "Friedhelm") == users.PASSWORD_HAS_USERNAME
    assert users.password_problem("FRIEDHELM-am-rhein-7", "friedhelm") == users.PASSWORD_HAS_USERNAME
    with pytest.raises(ValidationFailed) as err:
        users.create_user(session, "friedhelm", "friedhelm-am-rhein-7")
    assert err.value.fields["password"] == users.PASSWORD_HAS_USERNAME


def test_length_limits_still_hold(session):
    assert users.password_problem("kurz", "anna") == users.PASSWORD_TOO_SHORT
    assert users.password_problem("x" * (users.PASSWORD_MAX_LENGTH + 1), "anna") == users.PASSWORD_TOO_LONG
    # beyond what zxcvbn rates (72 characters) a password is judged by its beginning, without an error
    assert users.password_problem("Der Rhein fließt gen Norden 7 " * 10, "anna") is None


def test_the_cli_explains_the_refusal(app, session):
    result = app.test_cli_runner().invoke(args=["users", "create", "anna", "--password-stdin"],
                                          input="password12\n")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "too easy to guess" in result.output
    named = app.test_cli_runner().invoke(args=["users", "create", "anna", "--password-stdin"],
                                         input="anna-lange-genug-2026\n")
    assert named.exit_code != 0 and "must not contain the username" in named.output
    assert users.find_user(session, "anna") is None


def test_the_cli_refuses_a_weak_new_password(app, session):
    make_organiser(session)
    result = app.test_cli_runner().invoke(args=["users", "set-password", "orga", "--password-stdin"],
                                          input="1234567890\n")
    assert result.exit_code != 0 and "too easy to guess" in result.output
    assert users.authenticate(session, "orga", PASSWORD) is not None


def test_the_account_form_explains_the_refusal(app, client):
    make_account(app)
    log_in(client)
    page = client.get("/organiser/users")
    assert "nicht leicht zu erraten" in page.text  # the hint says the rule up front
    weak = client.post("/organiser/users", data={"username": "udo", "role": "team_member", "password": "password12"})
    assert weak.status_code == 422
    assert "zu leicht zu erraten" in weak.text and 'aria-invalid="true"' in weak.text
    named = client.post("/organiser/users", data={"username": "udo", "role": "team_member",
                                                  "password": "udo-lange-genug-2026"})
    assert named.status_code == 422 and "darf den Benutzernamen nicht enthalten" in named.text
    english = client.post("/organiser/users?lang=en",
                          data={"username": "udo", "role": "team_member", "password": "1234567890"})
    assert english.status_code == 422 and "too easy to guess" in english.text
    assert not can_sign_in(app, "udo", "1234567890")


def test_the_password_form_explains_the_refusal(app, client):
    make_account(app)
    log_in(client)
    refused = client.post("/password", data={"current_password": PASSWORD, "new_password": "password12",
                                             "new_password_again": "password12"})
    assert refused.status_code == 422 and "zu leicht zu erraten" in refused.text
    mismatch = client.post("/password", data={"current_password": PASSWORD,
                                              "new_password": "kaktus-gießkanne-nordwind",
                                              "new_password_again": "kaktus-giesskanne-nordwind"})
    assert mismatch.status_code == 422 and "nicht gleich" in mismatch.text
    assert can_sign_in(app, "orga", PASSWORD)


def test_an_organiser_cannot_set_a_weak_password_for_another_account(app, client):
    make_account(app)
    rita = make_account(app, "rita", role="team_member")
    log_in(client)
    client.post(f"/organiser/users/{rita.id}/password", data={f"user-{rita.id}-password-password": "password12"})
    assert "zu leicht zu erraten" in client.get("/organiser/users").text
    assert can_sign_in(app, "rita", PASSWORD)
