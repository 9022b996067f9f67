"""Accounts (organisers and team members): creating them and checking their passwords. No Flask here.

Passwords are hashed with Argon2id (argon2-cffi's defaults); a hash made with older
parameters is replaced on the next successful sign-in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mapapp.errors import ValidationFailed
from mapapp.models import ROLES

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

_COLUMNS = "id, username, display_name, role, active, created_at"


@dataclass(frozen=True)
class Account:
    """A user as the rest of the app sees it: everything but the password hash."""

    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    created_at: datetime | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.username


def normalise_username(username: str) -> str:
    """Usernames are compared case-insensitively: they are stored in lower case."""
    return (username or "").strip().lower()


def _check_new_user(session: Session, username: str, password: str, role: str) -> None:
    errors = {}
    if not USERNAME_PATTERN.fullmatch(username):
        errors["username"] = ("2 to 80 characters: lower-case letters, digits, '.', '_' or '-', "
                              "starting with a letter or digit")
    elif session.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": username}).scalar():
        errors["username"] = f"the username '{username}' is taken"
    if len(password or "") < PASSWORD_MIN_LENGTH:
        errors["password"] = f"at least {PASSWORD_MIN_LENGTH} characters"
    elif len(password) > PASSWORD_MAX_LENGTH:
        errors["password"] = f"at most {PASSWORD_MAX_LENGTH} characters"
    if role not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)}"
    if errors:
        raise ValidationFailed("The account cannot be created.", errors)


def create_user(session: Session, username: str, password: str, display_name: str | None = None,
                role: str = "organiser") -> Account:
    """Create an account; refuse a taken username, a bad one or a short password."""
    username = normalise_username(username)
    _check_new_user(session, username, password, role)
    display_name = (display_name or "").strip()[:120] or None
    try:
        row = session.execute(
            text(f"""INSERT INTO users (username, display_name, password_hash, role)
                     VALUES (:username, :display_name, :hash, :role) RETURNING {_COLUMNS}"""),
            {"username": username, "display_name": display_name, "hash": _hasher.hash(password), "role": role},
        ).mappings().one()
        session.commit()
    except IntegrityError:  # a concurrent create with the same name won the race
        session.rollback()
        raise ValidationFailed("The account cannot be created.",
                               {"username": f"the username '{username}' is taken"}) from None
    return Account(**row)


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """Return the active account whose password this is, else None (never says which part was wrong)."""
    row = session.execute(
        text(f"SELECT {_COLUMNS}, password_hash FROM users WHERE username = :u"),
        {"u": normalise_username(username)},
    ).mappings().first()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row["active"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        session.execute(text("UPDATE users SET password_hash = :h WHERE id = :id"),
                        {"h": _hasher.hash(password), "id": row["id"]})
        session.commit()
    return Account(**{key: row[key] for key in _COLUMNS.split(", ")})


def get_user(session: Session, user_id: int) -> Account | None:
    """Return the active account with this id (used on every signed-in request)."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM users WHERE id = :id AND active"), {"id": user_id}
    ).mappings().first()
    return Account(**row) if row else None


def find_user(session: Session, username: str) -> Account | None:
    """Return the account called ``username`` (active or not), or None."""
    row = session.execute(
        text(f"SELECT {_COLUMNS} FROM users WHERE username = :u"), {"u": normalise_username(username)}
    ).mappings().first()
    return Account(**row) if row else None


def list_users(session: Session) -> list[Account]:
    rows = session.execute(text(f"SELECT {_COLUMNS} FROM users ORDER BY username")).mappings()
    return [Account(**row) for row in rows]
