"""API keys for Open311 clients: issued once, stored as sha256 only, revocable.

A key is 32 random bytes (url-safe base64), so a fast hash is enough: there is nothing
to guess from a dictionary, and the lookup by hash stays a unique-index probe.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Forbidden, NotFound, ValidationFailed


@dataclass
class KeyInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    created_by: str | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, name: str, created_by_id: int | None = None) -> tuple[KeyInfo, str]:
    """Issue a key named ``name``; return its record and the plaintext key (shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Bitte einen Namen angeben."), {"name": _("Diese Angabe fehlt.")})
    key = secrets.token_urlsafe(32)
    row = session.execute(text("""
        INSERT INTO api_keys (name, key_hash, prefix, created_by_id)
        VALUES (:name, :hash, :prefix, :by)
        RETURNING id, name, prefix, created_at, revoked_at
    """), {"name": name, "hash": hash_key(key), "prefix": key[:8], "by": created_by_id}).mappings().one()
    session.commit()
    return KeyInfo(**row), key


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(text("""
        SELECT k.id, k.name, k.prefix, k.created_at, k.revoked_at, u.username AS created_by
        FROM api_keys k LEFT JOIN users u ON u.id = k.created_by_id
        ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC
    """)).mappings()
    return [KeyInfo(**row) for row in rows]


def revoke_key(session: Session, key_id: int) -> KeyInfo:
    """Revoke key ``key_id`` (again is harmless: the first revocation time stays)."""
    row = session.execute(text("""
        UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = :id
        RETURNING id, name, prefix, created_at, revoked_at
    """), {"id": key_id}).mappings().first()
    if row is None:
        session.rollback()
        raise NotFound(_("Diesen Schlüssel gibt es nicht."))
    session.commit()
    return KeyInfo(**row)


def check_key(session: Session, key: str | None) -> int:
    """Return the id of the active key ``key``; raise Forbidden for a missing, unknown or revoked one."""
    key_id = None
    if key:
        key_id = session.execute(
            text("SELECT id FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL"),
            {"hash": hash_key(key)},
        ).scalar()
    if key_id is None:
        raise Forbidden(_("Ungültiger oder widerrufener API-Schlüssel."))
    return key_id
