"""``GET /healthz``: the process answers (no database). ``GET /readyz``: it can serve requests.

With a read replica configured, /readyz also says how it is (``ok (lag 0.2 s)``, ``lagging (…)``,
``unavailable``); that never makes the app unready, since the primary then serves its reads.
"""
from flask import current_app, jsonify

from mapapp import config
from mapapp.db import db
from mapapp.health import bp
from mapapp.health.checks import readiness


@bp.after_request
def never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    ready, report = readiness(db.engine, config.project_dir() / "migrations")
    replica = current_app.extensions.get("replica")
    if replica is not None:
        report["replica"] = replica.state().describe()
    if ready:
        return jsonify(status="ready", **report)
    return jsonify(status="unavailable", **report), 503
