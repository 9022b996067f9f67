"""Typed domain errors and the one place that turns them into JSON responses."""
import json
import logging

import psycopg
from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError


class DomainError(Exception):
    """Base for errors the domain functions raise; carries an HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def to_dict(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationFailed(DomainError):
    """One or more fields are wrong; ``fields`` maps each to what is wrong with it."""

    status = 422
    code = "validation_failed"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The requester may not do this (e.g. change another participant's finding)."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class StaleWrite(DomainError):
    """A change was based on an old version of the record: someone else changed it meanwhile.

    Nothing was written; ``current_version`` tells the client what to reload.
    """

    status = 412
    code = "precondition_failed"

    def __init__(self, message: str, current_version: int | None):
        super().__init__(message)
        self.current_version = current_version

    def to_dict(self) -> dict:
        return super().to_dict() | {"current_version": self.current_version}


def init_app(app):
    """Answer domain errors and HTTP errors under ``/api`` with JSON bodies."""

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return jsonify(err.to_dict()), err.status

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if not request.path.startswith("/api/"):
            return err
        body = {"error": (err.name or "error").lower().replace(" ", "_"), "message": err.description}
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]  # Allow, Retry-After
        return jsonify(body), err.code, headers

    app.teardown_appcontext(release_session)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(psycopg.OperationalError)
    @app.errorhandler(psycopg.InterfaceError)
    def database_error(err: Exception):
        if not database_unavailable(err):
            return unexpected(err)
        _discard_session()
        cause = getattr(err, "orig", None) or err
        first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        app.logger.warning("database unavailable: %s: %s", type(cause).__name__, first_line,
                           extra={"endpoint": request.endpoint})
        body = {"error": "unavailable",
                "message": _("Die Datenbank ist gerade nicht erreichbar. Bitte versuche es in ein paar "
                             "Sekunden noch einmal.")}
        return jsonify(body), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path,
                             extra={"endpoint": request.endpoint})
        if not request.path.startswith("/api/"):
            return InternalServerError()
        return jsonify({"error": "internal_error", "message": "Something went wrong on our side."}), 500

    @app.after_request
    def add_request_id(response):
        """Put the request id into JSON error bodies (objects only), so a report can quote it."""
        if response.status_code >= 400 and response.is_json and not response.is_streamed:
            body = response.get_json(silent=True)
            if isinstance(body, dict) and "request_id" not in body:
                from mapapp.logs import current_request_id

                response.set_data(json.dumps(body | {"request_id": current_request_id()}, ensure_ascii=False))
        return response


RETRY_AFTER_SECONDS = 5


def database_unavailable(err: Exception) -> bool:
    """Whether ``err`` means the database cannot be reached (down, restarting, connection lost)."""
    if isinstance(err, (OperationalError, InterfaceError, PoolTimeout,
                        psycopg.OperationalError, psycopg.InterfaceError)):
        return True
    return isinstance(err, DBAPIError) and bool(err.connection_invalidated)


def _discard_session() -> None:
    """Give the broken connection back (invalidated) so the next request starts clean."""
    from mapapp.db import db

    try:
        db.session.rollback()
    except Exception:  # the connection is gone; release_session below invalidates it
        pass
    release_session()


def release_session(_exc: BaseException | None = None) -> None:
    """End the request's session even when the server has just dropped its connection.

    Flask-SQLAlchemy's own teardown closes the session, which rolls back; if PostgreSQL
    went away after the view's last statement, that rollback raises and would turn a
    finished response (say a 201 for a committed finding) into a 500. This teardown runs
    before Flask-SQLAlchemy's (teardowns run in reverse order of registration) and, when
    closing fails, invalidates the connection so the pool opens a fresh one next time.
    """
    from mapapp.db import db

    try:
        db.session.remove()
    except (DBAPIError, psycopg.Error) as err:
        logging.getLogger("mapapp").warning("database connection lost while closing the session: %s",
                                            type(getattr(err, "orig", None) or err).__name__)
        try:
            db.session.invalidate()
        except Exception:  # nothing more to release
            pass
        db.session.registry.clear()
