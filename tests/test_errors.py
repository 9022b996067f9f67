"""Failures answer with JSON bodies, never an HTML 500 page."""
import socket

from tests.conftest import make_app


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_database_is_a_503_with_json():
    app = make_app(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    response = app.test_client().get("/api/categories")
    assert response.status_code == 503
    assert response.get_json()["error"] == "unavailable"
    assert response.headers["Retry-After"]


def test_method_not_allowed_is_json(client):
    response = client.delete("/api/findings")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
