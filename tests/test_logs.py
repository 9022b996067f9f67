"""Structured logs: a request id in and out, one line per request, no personal data."""
import json
import logging
import socket
import sys

import pytest

from mapapp import config
from mapapp.logs import ACCESS_LOGGER, JsonFormatter, TextFormatter
from mapapp.findings.participants import COOKIE
from tests.conftest import make_app
from tests.factories import finding_payload


def access_lines(caplog) -> list[dict]:
    return [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == ACCESS_LOGGER]


def test_a_valid_incoming_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4711.a_b"})
    assert response.headers["X-Request-ID"] == "lb-4711.a_b"


@pytest.mark.parametrize("incoming", ["x" * 65, "spaces are bad", "quote\"", "umlaut-ä", ""])
def test_an_invalid_request_id_is_replaced_by_a_generated_one(client, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    generated = response.headers["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32 and generated.isalnum()


def test_json_error_bodies_carry_the_request_id(client):
    response = client.get("/api/findings/not-a-uuid-route/nothing", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404
    assert response.get_json()["request_id"] == "req-404"
    invalid = client.post("/api/findings", json={"id": "nope"}, headers={"X-Request-ID": "req-422"})
    assert invalid.status_code == 422
    assert invalid.get_json()["request_id"] == "req-422"


def test_one_json_line_per_request_without_query_cookie_or_address(client, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    created = client.post("/api/findings", json=finding_payload(description="Hans Meier wohnt hier"))
    created.close()
    cookie = client.get_cookie(COOKIE).value
    response = client.get("/api/findings?nickname=Hans&api_key=geheim", headers={
        "X-Request-ID": "trace-1", "Authorization": "Bearer geheim"})
    response.close()
    lines = access_lines(caplog)
    assert [(line["method"], line["status"]) for line in lines] == [("POST", 201), ("GET", 200)]
    line = lines[-1]
    assert line["request_id"] == "trace-1"
    assert line["path"] == "/api/findings"
    assert line["bytes"] == len(response.data)
    assert isinstance(line["duration_ms"], float) and line["level"] == "info" and line["time"]
    raw = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for secret in (cookie, "Hans", "geheim", "127.0.0.1", "Meier", COOKIE):
        assert secret not in raw


def test_a_database_failure_is_logged_with_endpoint_and_request_id(caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
    caplog.set_level(logging.WARNING, logger="mapapp")
    response = app.test_client().get("/api/categories", headers={"X-Request-ID": "down-1"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["error"] == "unavailable" and body["message"] and body["request_id"] == "down-1"
    logged = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "mapapp"]
    assert any(e["level"] == "warning" and e["request_id"] == "down-1" and e["endpoint"] == "api.list_categories"
               for e in logged), logged


DATABASE_MESSAGE = 'duplicate key\nDETAIL:  Key (nickname)=(Hans) already exists.\n[parameters: {"n": "Hans"}]'


def test_database_details_that_may_quote_values_are_left_out():
    try:
        raise ValueError(DATABASE_MESSAGE)
    except ValueError:
        record = logging.LogRecord("mapapp", logging.ERROR, __file__, 1, "failed", None, exc_info=sys.exc_info())
    for formatter in (JsonFormatter(), TextFormatter()):
        text = formatter.format(record)
        assert "duplicate key" in text and "Hans" not in text


def test_engine_hides_bound_parameters_and_fails_fast(app):
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["hide_parameters"] is True and options["pool_pre_ping"] is True
    assert options["connect_args"]["connect_timeout"] == 3
    assert "options" not in options["connect_args"]
    capped = config.engine_options(dict(app.config, DB_STATEMENT_TIMEOUT_MS=30000))
    assert capped["connect_args"]["options"] == "-c statement_timeout=30000"
