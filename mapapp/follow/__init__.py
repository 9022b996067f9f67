"""Following one's findings without an account: the private follow link and its page.

``/me/follow-link`` is where a participant makes (or replaces) their link, from "Meine Funde";
``/f/<token>`` is the link itself: their findings with their status and the public updates, on
any device, and "Auf diesem Gerät übernehmen" to carry on there (mapapp/follow/routes.py).
Anyone holding the link sees what the participant sees, so its pages are kept out of caches,
referrers, search engines and the request log (the token is logged as ``<token>``), and its
requests count against ``FOLLOW_RATE_LIMIT`` per address.
"""
from flask import Blueprint, Flask, current_app, render_template, request

from mapapp.logs import LOGGED_PATH

bp = Blueprint("follow", __name__)

# A walk's group shares one mobile address; this still stops anyone trying links in bulk.
DEFAULT_FOLLOW_RATE_LIMIT = "60 per minute"
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@bp.url_value_preprocessor
def hide_token_from_log(_endpoint, values) -> None:
    """Log ``/f/<token>`` instead of the link (runs before any hook, so also for refused requests)."""
    token = (values or {}).get("token")
    if token:
        request.environ[LOGGED_PATH] = (request.script_root + request.path).replace(token, "<token>")


@bp.after_request
def private_headers(response):
    response.headers.update(PRIVATE_HEADERS)
    response.headers.pop("Expires", None)
    return response


@bp.errorhandler(429)
def too_many_requests(_err):
    return render_template("follow/too_many_requests.html"), 429


def follow_rate_limit() -> str:
    return current_app.config["FOLLOW_RATE_LIMIT"]


def counts_against_limit(response) -> bool:
    """Every request counts, but a found photo of a link: a page with 40 thumbnails is one visit."""
    return request.endpoint != "follow.photo" or response.status_code >= 400


def init_app(app: Flask) -> None:
    """Count requests to the follow pages against ``FOLLOW_RATE_LIMIT`` (after ``ratelimit.init_app``)."""
    app.config.setdefault("FOLLOW_RATE_LIMIT", DEFAULT_FOLLOW_RATE_LIMIT)
    app.extensions["limiter"].limit(follow_rate_limit, scope="follow", deduct_when=counts_against_limit)(bp)


from mapapp.follow import routes  # noqa: E402,F401  (routes attach themselves to bp)
