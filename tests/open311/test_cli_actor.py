"""Command-line actions in the audit trail: ``--as USER`` names the account, else the OS user as cli:NAME."""
import getpass

from sqlalchemy import text

from mapapp.open311.city import state as city_state
from tests.auth.helpers import log_in
from tests.factories import make_user
from tests.open311.helpers import confirmed


def _trail(session, concern_id):
    session.expire_all()
    return session.execute(text(
        "SELECT e.action, e.user_id, e.actor FROM concern_events e WHERE e.concern_id = :id ORDER BY e.id"),
        {"id": concern_id}).all()


def test_city_send_records_the_os_user(app, session, server, endpoint):
    concern_id = confirmed(session)
    sent = app.test_cli_runner().invoke(args=["city", "send", "--concern", str(concern_id)])
    assert sent.exit_code == 0, sent.output
    [(action, user_id, actor)] = _trail(session, concern_id)
    assert (action, user_id, actor) == ("status_changed", None, f"cli:{getpass.getuser()}")


def test_city_send_and_refresh_as_an_account(app, session, server, endpoint):
    orga = make_user(session, "orga")
    concern_id = confirmed(session)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["city", "send", "--as", "orga", "--concern", str(concern_id)]).exit_code == 0
    server.statuses["city-1"] = ("closed", "Erledigt.")
    refreshed = runner.invoke(args=["city", "refresh", "--as", "orga"])
    assert refreshed.exit_code == 0, refreshed.output
    assert [(user_id, actor) for _a, user_id, actor in _trail(session, concern_id)] == [
        (orga.id, "cli:orga"), (orga.id, "cli:orga")]


def test_unknown_account_is_refused_by_name_and_nothing_is_sent(app, session, server, endpoint):
    concern_id = confirmed(session)
    result = app.test_cli_runner().invoke(args=["city", "send", "--as", "niemand", "--concern", str(concern_id)])
    assert result.exit_code != 0 and "niemand" in result.output
    assert server.posts == [] and _trail(session, concern_id) == []


def test_mark_sent_and_send_again_name_the_cli_user(app, session, endpoint):
    orga = make_user(session, "orga")
    first, second = confirmed(session), confirmed(session)
    for concern_id in (first, second):
        session.execute(text("INSERT INTO city_submissions (concern_id, endpoint_id, state, claimed_at) "
                             "VALUES (:id, :endpoint, 'uncertain', now())"), {"id": concern_id, "endpoint": endpoint})
    session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["city", "mark-sent", str(first), "city-7"]).exit_code == 0
    assert runner.invoke(args=["city", "send-again", "--as", "orga", str(second)]).exit_code == 0
    assert _trail(session, first)[-1].actor == f"cli:{getpass.getuser()}"
    assert _trail(session, second)[-1][1:] == (orga.id, "cli:orga")


def test_review_page_names_the_cli_user(app, client, session):
    make_user(session, "orga")
    concern_id = confirmed(session)
    city_state.add_event(session, concern_id, "city_sent", "An die Stadt gesendet", None, actor="cli:maria")
    session.commit()
    log_in(client)
    assert "cli:maria" in client.get(f"/review/concerns/{concern_id}").text


def test_apikeys_create_as_an_account(app, session):
    make_user(session, "orga")
    result = app.test_cli_runner().invoke(args=["apikeys", "create", "Mängelmelder", "--as", "orga"])
    assert result.exit_code == 0, result.output
    assert session.execute(text("SELECT u.username FROM api_keys k JOIN users u ON u.id = k.created_by_id")
                           ).scalar() == "orga"
    refused = app.test_cli_runner().invoke(args=["apikeys", "create", "X", "--as", "wer"])
    assert refused.exit_code != 0 and "wer" in refused.output
