"""Structured logs: one line per request, errors with context, a request id throughout.

The request line is written by a small WSGI wrapper around the Flask app, so it sees
the status and the bytes actually sent (also for streamed exports) and the time until
the last byte. It carries the method, the path WITHOUT its query string, the status,
the duration and the size — never the client's address, cookies, headers, bodies or
query values, which may hold personal data (a nickname, a participant id, an API key).

The request id comes from an incoming ``X-Request-ID`` when it is a plain token
(at most 64 characters of ``A-Z a-z 0-9 . _ -``), else it is generated; it is echoed
in the ``X-Request-ID`` response header, added to JSON error bodies and to every log
record written during the request.

``MAPAPP_LOG_FORMAT`` chooses ``json`` (default) or ``text``; ``MAPAPP_LOG_LEVEL``
the level. Under ``TESTING`` nothing is configured: records at WARNING and above go
to pytest's capture, request lines only when a test asks (``caplog.set_level``).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, has_request_context, request

ENVIRON_KEY = "mapapp.request_id"
HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
ACCESS_LOGGER = "mapapp.access"
HANDLER_NAME = "mapapp-structured"
CONTEXT_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "bytes", "endpoint")
# A path to log instead of the request's, set by views whose URL holds a secret (a follow link).
LOGGED_PATH = "mapapp.log_path"
# Lines of database error messages that may quote stored values (e.g. "Key (id)=(…)").
REDACTED_PREFIXES = ("DETAIL:", "[parameters:")


def valid_request_id(value: str | None) -> bool:
    return bool(value) and REQUEST_ID_PATTERN.fullmatch(value) is not None


def request_id_for(environ: dict) -> str:
    """Return the request's id, taking a valid incoming one or making one up (once)."""
    rid = environ.get(ENVIRON_KEY)
    if rid is None:
        incoming = environ.get("HTTP_X_REQUEST_ID")
        rid = incoming if valid_request_id(incoming) else uuid.uuid4().hex
        environ[ENVIRON_KEY] = rid
    return rid


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    return request_id_for(request.environ)


def _redact(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(REDACTED_PREFIXES))


class RequestContextFilter(logging.Filter):
    """Give every record written inside a request its request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request context, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": _redact(record.getMessage()),
            "pid": record.process,  # which gunicorn worker: each has its own pools and caches
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = _redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A human-readable line with the same fields, for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        context = " ".join(f"{name}={getattr(record, name)}" for name in CONTEXT_FIELDS
                           if getattr(record, name, None) is not None)
        line = f"{stamp} {record.levelname} {record.name}: {_redact(record.getMessage())} {context}".rstrip()
        if record.exc_info:
            line += "\n" + _redact(self.formatException(record.exc_info))
        return line


def configure(fmt: str = "json", level: str = "INFO", stream=None) -> logging.Handler:
    """Send the ``mapapp`` loggers to ``stream`` (stdout) in ``fmt``; safe to call again."""
    from flask.logging import default_handler

    logger = logging.getLogger("mapapp")
    for old in [h for h in logger.handlers if h.get_name() == HANDLER_NAME or h is default_handler]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(TextFormatter() if fmt == "text" else JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return handler


class RequestLogMiddleware:
    """WSGI wrapper: assign the request id, echo it, and log the request when the body is sent."""

    def __init__(self, wsgi_app, logger: logging.Logger):
        self.wsgi_app = wsgi_app
        self.logger = logger

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        rid = request_id_for(environ)
        state = {"status": None, "length": None}

        def start(status, headers, exc_info=None):
            state["status"] = int(status.split(" ", 1)[0])
            state["length"] = next((int(v) for k, v in headers if k.lower() == "content-length"), None)
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()] + [(HEADER, rid)]
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, start)
        except Exception:  # escaped Flask's handlers; the server answers 500
            self._log(environ, rid, 500, started, 0)
            raise
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            # Hand files back untouched so the server can use sendfile(); log them now.
            self._log(environ, rid, state["status"], started, state["length"])
            return body
        return _LoggedBody(body, lambda sent: self._log(environ, rid, state["status"], started, sent))

    def _log(self, environ, rid, status, started, sent):
        path = environ.get(LOGGED_PATH) or (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
        self.logger.info(
            "%s %s %s", environ.get("REQUEST_METHOD"), path, status,
            extra={"request_id": rid, "method": environ.get("REQUEST_METHOD"), "path": path,
                   "status": status, "bytes": sent,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
        )


class _LoggedBody:
    """The response iterable, counting bytes; logs once, when the server closes it."""

    def __init__(self, body, on_close):
        self.body, self.on_close, self.sent, self.closed = body, on_close, 0, False

    def __iter__(self):
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close(self.sent)


def init_app(app: Flask) -> None:
    """Configure the handler (not under TESTING) and wrap the app in the request logger."""
    app.config.setdefault("LOG_FORMAT", "json")
    app.config.setdefault("LOG_LEVEL", "INFO")
    if not app.testing:
        configure(str(app.config["LOG_FORMAT"]).lower(), str(app.config["LOG_LEVEL"]))
    logger = logging.getLogger("mapapp")
    if not any(isinstance(f, RequestContextFilter) for f in logger.filters):
        logger.addFilter(RequestContextFilter())
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app, logging.getLogger(ACCESS_LOGGER))
