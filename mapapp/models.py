"""The tables: districts, categories, walks and findings.

Geometries are stored in EPSG:4326 with a GiST index each; distances and areas are
computed in EPSG:25832 (metres) inside the queries that need them.
"""
import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    Boolean, CheckConstraint, DateTime, Float, ForeignKey, Integer, String, Text,
    UniqueConstraint, func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mapapp.db import db

LEVELS = ("stadtbezirk", "ortsteil")
FINDING_STATUSES = ("new", "in_review", "confirmed", "handed_over", "resolved", "rejected")


class District(db.Model):
    """A Stadtbezirk or an Ortsteil, with its official number as ``code``."""

    __tablename__ = "districts"
    __table_args__ = (
        UniqueConstraint("level", "code", name="level_code"),
        CheckConstraint("level IN ('stadtbezirk', 'ortsteil')", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    source: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)

    parent: Mapped["District | None"] = relationship(remote_side=[id])


class Category(db.Model):
    """What a finding is about; teams own categories later on."""

    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_de: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    icon: Mapped[str] = mapped_column(String(16))
    sort: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class Walk(db.Model):
    """An Ortsbegehung: a walk on a topic through one district."""

    __tablename__ = "walks"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stadtbezirk_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    ortsteil_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"))
    meeting_point = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Finding(db.Model):
    """One thing a participant pinned: a point, or a line for a stretch of road.

    The id is made by the client so that a retried send stores nothing twice. The
    district columns are filled by a database trigger (ST_Covers), never by Python.
    """

    __tablename__ = "findings"
    __table_args__ = (
        CheckConstraint("GeometryType(geom) IN ('POINT', 'LINESTRING')", name="geom_type"),
        CheckConstraint("status IN ('" + "', '".join(FINDING_STATUSES) + "')", name="status"),
        CheckConstraint("accuracy_m IS NULL OR accuracy_m >= 0", name="accuracy"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    walk_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("walks.id", ondelete="SET NULL"), index=True
    )
    category_slug: Mapped[str] = mapped_column(ForeignKey("categories.slug"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=True), nullable=False)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    ortsteil_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="SET NULL"), index=True
    )
    stadtbezirk_id: Mapped[int | None] = mapped_column(
        ForeignKey("districts.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
