"""Teams: who reviews which categories. No Flask here.

A team owns one or more categories; its members (accounts with the role ``team_member``)
review the findings of those categories. Several teams may share a category.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mapapp.errors import NotFound, ValidationFailed

NAME_MAX_LENGTH = 120


@dataclass(frozen=True)
class Member:
    id: int
    username: str
    display_name: str | None

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True)
class TeamSummary:
    """A team as the pages show it: its categories and members (the table is ``mapapp.db.schema.review.Team``)."""

    id: int
    name: str
    categories: list[str]
    members: list[Member]


_TEAMS_SQL = """
    SELECT t.id, t.name,
           COALESCE((SELECT array_agg(tc.category_slug ORDER BY tc.category_slug)
                     FROM team_categories tc WHERE tc.team_id = t.id), '{}') AS categories,
           COALESCE((SELECT json_agg(json_build_object('id', u.id, 'username', u.username,
                                                       'display_name', u.display_name)
                                     ORDER BY u.username)
                     FROM team_members tm JOIN users u ON u.id = tm.user_id
                     WHERE tm.team_id = t.id), '[]') AS members
    FROM teams t
"""


def _team(row) -> TeamSummary:
    return TeamSummary(id=row["id"], name=row["name"], categories=list(row["categories"]),
                       members=[Member(**member) for member in row["members"]])


def list_teams(session: Session) -> list[TeamSummary]:
    """All teams by name, each with its categories and members."""
    rows = session.execute(text(_TEAMS_SQL + " ORDER BY lower(t.name)")).mappings()
    return [_team(row) for row in rows]


def get_team(session: Session, team_id: int) -> TeamSummary:
    row = session.execute(text(_TEAMS_SQL + " WHERE t.id = :id"), {"id": team_id}).mappings().first()
    if row is None:
        raise NotFound(f"There is no team {team_id}.")
    return _team(row)


def find_team(session: Session, name: str) -> TeamSummary | None:
    """The team called ``name`` (case-insensitive), or None."""
    row = session.execute(text(_TEAMS_SQL + " WHERE lower(t.name) = lower(:name)"),
                          {"name": (name or "").strip()}).mappings().first()
    return _team(row) if row else None


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("The team cannot be saved.", {"name": "a name is required"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed("The team cannot be saved.",
                               {"name": f"at most {NAME_MAX_LENGTH} characters"})
    return name


def _clean_categories(session: Session, categories) -> list[str]:
    slugs = sorted({(slug or "").strip() for slug in categories or []} - {""})
    if not slugs:
        raise ValidationFailed("The team cannot be saved.", {"categories": "choose at least one category"})
    known = set(session.execute(text("SELECT slug FROM categories WHERE slug = ANY(:slugs)"),
                                {"slugs": slugs}).scalars())
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise ValidationFailed("The team cannot be saved.",
                               {"categories": f"unknown category: {', '.join(unknown)}"})
    return slugs


def _write_categories(session: Session, team_id: int, slugs: list[str]) -> None:
    session.execute(text("DELETE FROM team_categories WHERE team_id = :id"), {"id": team_id})
    session.execute(text("""INSERT INTO team_categories (team_id, category_slug)
                            SELECT :id, unnest(CAST(:slugs AS text[]))"""), {"id": team_id, "slugs": slugs})


def create_team(session: Session, name: str, categories) -> TeamSummary:
    """Create a team owning ``categories`` (slugs); names are unique regardless of case."""
    name = _clean_name(name)
    slugs = _clean_categories(session, categories)
    taken = {"name": f"there already is a team called '{name}'"}
    if find_team(session, name):
        raise ValidationFailed("The team cannot be saved.", taken)
    try:
        team_id = session.execute(text("INSERT INTO teams (name) VALUES (:name) RETURNING id"),
                                  {"name": name}).scalar_one()
        _write_categories(session, team_id, slugs)
        session.commit()
    except IntegrityError:  # a concurrent create with the same name won the race
        session.rollback()
        raise ValidationFailed("The team cannot be saved.", taken) from None
    return get_team(session, team_id)


def set_team_categories(session: Session, team_id: int, categories) -> TeamSummary:
    """Replace the categories the team owns."""
    get_team(session, team_id)
    slugs = _clean_categories(session, categories)
    _write_categories(session, team_id, slugs)
    session.commit()
    return get_team(session, team_id)


def add_member(session: Session, team_id: int, user_id: int) -> TeamSummary:
    """Make the account a member of the team (again is fine); only team-member accounts may join."""
    get_team(session, team_id)
    role = session.execute(text("SELECT role FROM users WHERE id = :id"), {"id": user_id}).scalar()
    if role is None:
        raise ValidationFailed("The member cannot be added.", {"user": f"there is no account {user_id}"})
    if role != "team_member":
        raise ValidationFailed("The member cannot be added.",
                               {"user": "only accounts with the role team_member can join a team"})
    session.execute(text("""INSERT INTO team_members (team_id, user_id) VALUES (:team, :user)
                            ON CONFLICT DO NOTHING"""), {"team": team_id, "user": user_id})
    session.commit()
    return get_team(session, team_id)


def remove_member(session: Session, team_id: int, user_id: int) -> TeamSummary:
    """Take the account out of the team (not being a member is fine)."""
    get_team(session, team_id)
    session.execute(text("DELETE FROM team_members WHERE team_id = :team AND user_id = :user"),
                    {"team": team_id, "user": user_id})
    session.commit()
    return get_team(session, team_id)
