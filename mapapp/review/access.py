"""Who may see and change what in the review. No Flask here.

Organisers see every category. A team member sees the categories of the teams they
belong to (possibly none). Everyone else (participants are anonymous) sees nothing.
``user`` arguments take a signed-in user (``SignedInUser``) or an ``Account``.
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Forbidden


def visible_categories(session: Session, user_id: int, role: str) -> list[str] | None:
    """The category slugs the user may review, sorted; None means all of them (organisers)."""
    if role == "organiser":
        return None
    if role != "team_member" or user_id is None:
        return []
    return list(session.execute(text("""
        SELECT DISTINCT tc.category_slug
        FROM team_members tm
        JOIN team_categories tc ON tc.team_id = tm.team_id
        JOIN users u ON u.id = tm.user_id AND u.active
        WHERE tm.user_id = :user_id
        ORDER BY tc.category_slug
    """), {"user_id": user_id}).scalars())


def _identity(user) -> tuple[int | None, str | None]:
    """(id, role) of a SignedInUser, an Account, or (None, None) for anyone not signed in."""
    account = getattr(user, "account", user)
    if account is None or not getattr(account, "active", False):
        return None, None
    return getattr(account, "id", None), getattr(account, "role", None)


def categories_of(session: Session, user) -> list[str] | None:
    """``visible_categories`` for a user object."""
    user_id, role = _identity(user)
    return visible_categories(session, user_id, role)


def may_see_category(session: Session, user, slug: str) -> bool:
    visible = categories_of(session, user)
    return visible is None or slug in visible


def require_category(session: Session, user, slug: str) -> None:
    """Raise ``Forbidden`` unless the user may see and change findings of category ``slug``."""
    if not may_see_category(session, user, slug):
        raise Forbidden("This category is reviewed by another team.")


def require_regrouping(session: Session, user, findings, to_concern_id, to_category: str | None) -> None:
    """Raise ``Forbidden`` unless the user may put every finding of ``findings`` where it goes.

    Every change of a concern's findings goes through here, so both sides are checked in
    one place: the concern ``to_concern_id`` (of ``to_category``; None: out of any concern)
    and, for each finding leaving a concern, the concern it leaves. ``findings`` are rows
    with ``id``, ``category_slug``, ``concern_id`` and ``concern_category`` (the category of
    the concern it is in now). A finding in no concern needs its own category to be the
    user's. The refusal names the findings it is about.
    """
    visible = categories_of(session, user)

    def ours(slug) -> bool:
        return visible is None or slug in visible

    if to_category is not None:
        require_category(session, user, to_category)
    refused = sorted(str(row.id) for row in findings
                     if (row.concern_id is None and not ours(row.category_slug))
                     or (row.concern_id not in (None, to_concern_id) and not ours(row.concern_category)))
    if refused:
        message = _("Diese Funde gehören zu einem Anliegen oder einer Kategorie eines anderen Teams: %(ids)s",
                    ids=", ".join(refused))
        raise Forbidden(message, {"finding_ids": message})


def may_see_finding(session: Session, user, finding_id: uuid.UUID | str) -> bool:
    """Whether the finding exists and the user may review it.

    A team sees a finding when its own category, or the category of the concern it was
    grouped into, is one of the team's (a concern may have been re-categorised).
    """
    user_id, role = _identity(user)
    visible = visible_categories(session, user_id, role)
    if visible is not None and not visible:
        return False
    try:
        finding_id = uuid.UUID(str(finding_id))
    except ValueError:
        return False
    return bool(session.execute(text("""
        SELECT EXISTS (
            SELECT 1 FROM findings f LEFT JOIN concerns c ON c.id = f.concern_id
            WHERE f.id = :id
              AND (CAST(:visible AS text[]) IS NULL
                   OR f.category_slug = ANY(CAST(:visible AS text[]))
                   OR c.category_slug = ANY(CAST(:visible AS text[])))
        )
    """), {"id": finding_id, "visible": visible}).scalar())
