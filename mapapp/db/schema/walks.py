"""The walks (Ortsbegehungen) and the categories each offers."""
import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from mapapp.db import db


walk_categories = Table(
    "walk_categories",
    db.metadata,
    Column("walk_id", ForeignKey("walks.id", ondelete="CASCADE"), primary_key=True),
    Column("category_slug", ForeignKey("categories.slug", ondelete="CASCADE"), primary_key=True),
)


class Walk(db.Model):
    """An Ortsbegehung: a walk on a topic through one district.

    ``join_code`` is the short code in the join link and QR code; the categories a walk
    offers are listed in ``walk_categories`` (none listed: all of them).
    """

    __tablename__ = "walks"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stadtbezirk_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    ortsteil_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    meeting_point = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    meeting_point_name: Mapped[str | None] = mapped_column(String(200))
    route = mapped_column(Geometry("LINESTRING", srid=4326, spatial_index=True))
    join_code: Mapped[str] = mapped_column(
        String(16), unique=True, server_default=text("substr(md5(random()::text), 1, 8)")
    )
    # When an organiser made the walk's results page public (None: not yet).
    results_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
