"""The review: teams, the categories they own, their members, concerns and their audit trail."""
import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from mapapp.db import db
from mapapp.statuses import CONCERN_STATUSES


class Team(db.Model):
    """A team (cycling, retail, youth…) that reviews the findings of the categories it owns."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


team_categories = Table(
    "team_categories",
    db.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("category_slug", ForeignKey("categories.slug", ondelete="CASCADE"), primary_key=True),
)


team_members = Table(
    "team_members",
    db.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Concern(db.Model):
    """An Anliegen: what a team made of one or more findings, followed until the city acts.

    ``version`` grows with every change, so a stale write can be refused. Districts are
    assigned by the same trigger as for findings.
    """

    __tablename__ = "concerns"
    __table_args__ = (
        CheckConstraint("status IN ('" + "', '".join(CONCERN_STATUSES) + "')", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    # The only text of a concern written for the public (Open311 status_notes, public pages).
    public_message: Mapped[str | None] = mapped_column(Text)
    public_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    category_slug: Mapped[str] = mapped_column(ForeignKey("categories.slug"), index=True)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("concerns.id", ondelete="SET NULL"))
    ortsteil_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    stadtbezirk_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ConcernEvent(db.Model):
    """One entry of a concern's audit trail: who changed what, when, from what to what."""

    __tablename__ = "concern_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who acted without an account: "cli:<OS user>" for a command-line action (mapapp.cli.helpers).
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
