"""Accounts (organisers and team members): creating them, checking and changing their passwords,
locking them. No Flask here.

Passwords are hashed with Argon2id (argon2-cffi's defaults); a hash made with older
parameters is replaced on the next successful sign-in. A new password must be at least
``PASSWORD_MIN_LENGTH`` characters, must not contain the username and must not be easy to
guess: zxcvbn (Dropbox's estimator, with its lists of common passwords, names and words)
must rate it at least ``PASSWORD_MIN_SCORE`` of 4.

``session_version`` is part of every signed-in session (mapapp/auth/__init__.py): logging
out, changing the password and locking or unlocking the account raise it, which ends every
session of the account signed in before.
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
from zxcvbn import zxcvbn

from mapapp.errors import NotFound, ValidationFailed
from mapapp.db.schema.accounts import ROLES

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
PASSWORD_MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable" (about 10^8 guesses), 4 "very unguessable"
# zxcvbn rates the first 72 characters (its time grows with the length; it refuses longer ones).
_ZXCVBN_MAX_CHARS = 72  # zxcvbn refuses longer input
# Problems with a new password, as ValidationFailed carries them (the forms translate them).
PASSWORD_TOO_SHORT = f"at least {PASSWORD_MIN_LENGTH} characters"
PASSWORD_TOO_LONG = f"at most {PASSWORD_MAX_LENGTH} characters"
PASSWORD_HAS_USERNAME = "must not contain the username"
PASSWORD_TOO_GUESSABLE = ("too easy to guess (a common password, word or pattern): "
                          "use a longer phrase of several unusual words")

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

_COLUMNS = "id, username, display_name, role, active, created_at, session_version"


@dataclass(frozen=True)
class Account:
    """A user as the rest of the app sees it: everything but the password hash."""

    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    created_at: datetime | None = None
    session_version: int = 0

    @property
    def name(self) -> str:
        return self.display_name or self.username


def normalise_username(username: str) -> str:
    """Usernames are compared case-insensitively: they are stored in lower case."""
    return (username or "").strip().lower()


def password_problem(password: str | None, username: str | None = None,
                     other_inputs: tuple[str, ...] = ()) -> str | None:
    """What is wrong with ``password`` as a new password for ``username`` (one of the
    ``PASSWORD_*`` problems above), or None when it will do."""
    password = password or ""
    if len(password) < PASSWORD_MIN_LENGTH:
        return PASSWORD_TOO_SHORT
    if len(password) > PASSWORD_MAX_LENGTH:
        return PASSWORD_TOO_LONG
    name = normalise_username(username or "")
    if len(name) >= 3 and name in password.lower():
        return PASSWORD_HAS_USERNAME
    inputs = [value for value in (name, *other_inputs) if value]
    if zxcvbn(password[:_ZXCVBN_MAX_CHARS], user_inputs=inputs)["score"] < PASSWORD_MIN_SCORE:
        return PASSWORD_TOO_GUESSABLE
    return None


def _check_new_user(session: Session, username: str, password: str, role: str) -> None:
    errors = {}
    if not USERNAME_PATTERN.fullmatch(username):
        errors["username"] = ("2 to 80 characters: lower-case letters, digits, '.', '_' or '-', "
                              "starting with a letter or digit")
    elif session.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": username}).scalar():
        errors["username"] = f"the username '{username}' is taken"
    problem = password_problem(password, username)
    if problem:
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)}"
    if errors:
        raise ValidationFailed("The account cannot be created.", errors)


def create_user(session: Session, username: str, password: str, display_name: str | None = None,
                role: str = "organiser") -> Account:
    """Create an account; refuse a taken username, a bad one or a weak password."""
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


def check_password(session: Session, user_id: int, password: str) -> bool:
    """Whether ``password`` is the current password of the active account ``user_id``."""
    stored = session.execute(text("SELECT password_hash FROM users WHERE id = :id AND active"),
                             {"id": user_id}).scalar()
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user_id: int, password: str) -> Account:
    """Give account ``user_id`` a new password and end all its sessions. Raises ValidationFailed
    (``password``) for a weak password, NotFound for an unknown account."""
    account = get_account(session, user_id)
    problem = password_problem(password, account.username, tuple(filter(None, [account.display_name])))
    if problem:
        raise ValidationFailed("The password cannot be changed.", {"password": problem})
    row = session.execute(
        text(f"""UPDATE users SET password_hash = :hash, session_version = session_version + 1
                 WHERE id = :id RETURNING {_COLUMNS}"""),
        {"hash": _hasher.hash(password), "id": user_id},
    ).mappings().one()
    session.commit()
    return Account(**row)


def set_active(session: Session, user_id: int, active: bool) -> Account:
    """Lock (``active=False``) or unlock an account; either way its sessions end. Raises NotFound."""
    get_account(session, user_id)
    row = session.execute(
        text(f"""UPDATE users SET active = :active, session_version = session_version + 1
                 WHERE id = :id RETURNING {_COLUMNS}"""),
        {"active": active, "id": user_id},
    ).mappings().one()
    session.commit()
    return Account(**row)


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of account ``user_id`` (signing out ends them on every device)."""
    session.execute(text("UPDATE users SET session_version = session_version + 1 WHERE id = :id"),
                    {"id": user_id})
    session.commit()


def get_account(session: Session, user_id: int) -> Account:
    """Return the account with this id, active or not; raise NotFound."""
    row = session.execute(text(f"SELECT {_COLUMNS} FROM users WHERE id = :id"), {"id": user_id}).mappings().first()
    if row is None:
        raise NotFound("No such account.")
    return Account(**row)


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
