"""gunicorn settings for mapapp in production: ``gunicorn -c gunicorn.conf.py 'mapapp:create_app()'``.

Every setting can be changed through the environment (see README, "Production"):

- ``MAPAPP_BIND`` (default ``127.0.0.1:8000``; put a reverse proxy with TLS in front),
- ``WEB_CONCURRENCY`` or ``GUNICORN_WORKERS``: worker processes (default 2 × cores + 1, at most 8),
- ``GUNICORN_THREADS``: threads per worker (default 4; requests mostly wait for PostGIS),
- ``GUNICORN_TIMEOUT``, ``GUNICORN_GRACEFUL_TIMEOUT``, ``GUNICORN_KEEPALIVE`` (seconds),
- ``GUNICORN_LOG_LEVEL``, ``GUNICORN_MAX_REQUESTS``, ``GUNICORN_CONTROL_SOCKET`` (a path: switches
  gunicorn's control socket on; off by default).

Request bodies: gunicorn's ``limit_request_*`` cover only the request line and headers; body
sizes are the app's (2 MB, photo uploads up to ``MAPAPP_PHOTO_MAX_BYTES``, 15 MB; a proxy in
front must let those through, e.g. nginx ``client_max_body_size 80m``: five photos by multipart).
A slow phone may take minutes to send 15 MB: threaded (gthread) workers keep reporting to the
master meanwhile, a plain sync worker (``GUNICORN_THREADS=1``) would be killed after ``timeout``
unless a buffering proxy receives the body first.

Database connections: each worker keeps its own SQLAlchemy pool (up to 5 + 10 overflow),
so workers × threads should stay well below PostgreSQL's ``max_connections``; the cap
of 8 workers × 4 threads = 32 leaves room for the CLI, backups and a second app server.

The access log is the app's own: one JSON line per request on stdout, with the request id
and without client addresses or query strings (mapapp/logs.py). gunicorn's access log is
therefore off — its format would add the client's IP address and duplicate each line.
"""
import multiprocessing
import os
import sys


def _int_env(*names: str, default: int) -> int:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return int(value)
    return default


MAX_DEFAULT_WORKERS = 8

# A graceful reload (HUP, ``systemctl reload mapapp-web`` after an upgrade) runs this file again,
# then forks new workers that import the app. The master imported ``mapapp`` for the logging
# set-up below; forgotten here, the new workers (and that set-up) import the code now on disk
# instead of inheriting the version the master started with.
for _module in [name for name in sys.modules if name == "mapapp" or name.startswith("mapapp.")]:
    del sys.modules[_module]

bind = os.environ.get("MAPAPP_BIND", "127.0.0.1:8000").split(",")
workers = _int_env("WEB_CONCURRENCY", "GUNICORN_WORKERS",
                   default=min(2 * multiprocessing.cpu_count() + 1, MAX_DEFAULT_WORKERS))
threads = _int_env("GUNICORN_THREADS", default=4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int_env("GUNICORN_TIMEOUT", default=60)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = _int_env("GUNICORN_KEEPALIVE", default=5)
max_requests = _int_env("GUNICORN_MAX_REQUESTS", default=0)
max_requests_jitter = max_requests // 10

# Off: each worker imports the app and opens its database pool after the fork, so no
# connection (a socket with session state) is ever shared between processes. The app
# builds in well under a second, so preloading would save little. If it is switched on
# (``--preload``), post_fork below empties the inherited pool.
preload_app = False

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = False
proc_name = "mapapp"
# gunicorn ≥ 25 opens a control socket at one fixed path per user; several servers on one
# machine (tests, the benchmark, a second app) would take it from each other. Off by default.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "mapapp.logs.TextFormatter" if os.environ.get("MAPAPP_LOG_FORMAT") == "text"
                            else "mapapp.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def post_fork(server, worker):
    """With a preloaded app, drop pooled connections the master may have opened."""
    app = getattr(worker.app, "callable", None)
    sqlalchemy = getattr(app, "extensions", {}).get("sqlalchemy")
    if sqlalchemy is not None:
        with app.app_context():
            for engine in sqlalchemy.engines.values():
                engine.dispose(close=False)
