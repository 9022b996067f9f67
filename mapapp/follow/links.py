"""Private follow links: a capability URL that stands for one participant. No Flask here.

A participant (anonymous, known by the id in their cookie) may make a link that shows their
findings and what became of them, on any device, without an account. The link carries 32
random bytes; the database keeps only their SHA-256 (``participants.follow_token_hash``), so
a copy of the database or a backup reveals no working link, and the link can be shown only
once, when it is made. Making a new one replaces the old, which then stops working.

Looking a token up goes by its hash through the unique index: the time it takes depends on
the hash of the guess, never on how much of a real token the guess shares, so it tells an
attacker nothing (and 256 random bits are not guessed anyway; the routes are rate-limited).
"""
from __future__ import annotations

import hashlib
import re
import secrets
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

TOKEN_BYTES = 32
# What secrets.token_urlsafe(32) gives: 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def token_hash(token: str) -> str:
    """The SHA-256 of ``token`` in hex: what the database stores and looks up."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def make_link(session: Session, participant_id: uuid.UUID) -> str:
    """Give the participant a new follow token and return it; an older one stops working.

    Makes the participant's row when it is missing (a cookie whose holder sent nothing yet).
    Commits.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.execute(text("""
        INSERT INTO participants (id, follow_token_hash) VALUES (:id, :hash)
        ON CONFLICT (id) DO UPDATE SET follow_token_hash = EXCLUDED.follow_token_hash
    """), {"id": participant_id, "hash": token_hash(token)})
    session.commit()
    return token


def has_link(session: Session, participant_id: uuid.UUID | None) -> bool:
    """True when the participant has made a follow link (whose token we cannot show again)."""
    if participant_id is None:
        return False
    return bool(session.execute(
        text("SELECT follow_token_hash IS NOT NULL FROM participants WHERE id = :id"), {"id": participant_id}
    ).scalar())


def participant_for(session: Session, token: str) -> uuid.UUID | None:
    """The participant whose current follow token is ``token``; None for any other string."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return session.execute(
        text("SELECT id FROM participants WHERE follow_token_hash = :hash"), {"hash": token_hash(token)}
    ).scalar()


def own_finding_count(session: Session, participant_id: uuid.UUID | None) -> int:
    """How many findings the participant has sent."""
    if participant_id is None:
        return 0
    return session.execute(
        text("SELECT count(*) FROM findings WHERE participant_id = :id"), {"id": participant_id}
    ).scalar_one()


def owns_photo(session: Session, participant_id: uuid.UUID, stored_sha256: str) -> bool:
    """True when the stored photo file belongs to one of the participant's findings."""
    return bool(session.execute(text("""
        SELECT EXISTS (SELECT 1 FROM photos p JOIN findings f ON f.id = p.finding_id
                       WHERE p.stored_sha256 = :stored AND f.participant_id = :id)
    """), {"stored": stored_sha256, "id": participant_id}).scalar())
