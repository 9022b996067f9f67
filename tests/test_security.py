"""Security headers on every response."""
from mapapp.security import content_security_policy


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


def test_tile_host_is_allowed_for_images_only():
    policy = content_security_policy("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in policy
    assert "connect-src 'self';" in policy
