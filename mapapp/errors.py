"""Typed domain errors and the one place that turns them into JSON responses."""
from flask import jsonify, request
from sqlalchemy.exc import OperationalError
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
        return jsonify(body), err.code

    @app.errorhandler(OperationalError)
    def database_unavailable(err: OperationalError):
        app.logger.error("database unavailable: %s", err.orig or err)
        body = {"error": "unavailable", "message": "The database is not reachable; please retry."}
        return jsonify(body), 503, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if not request.path.startswith("/api/"):
            return InternalServerError()
        return jsonify({"error": "internal_error", "message": "Something went wrong on our side."}), 500
