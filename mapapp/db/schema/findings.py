"""The findings' tables: categories and their questions, participants, findings, "+1"s, photos
and the moderation trail.

The district columns of a finding are filled by a database trigger calling
``mapapp_districts_at`` (migration 0014), never by Python.
"""
import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String, Text,
    UniqueConstraint, func, text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from mapapp.db import db
from mapapp.statuses import FINDING_STATUSES, MODERATION_STATES

MODERATION_IN = "('" + "', '".join(MODERATION_STATES) + "')"
ATTRIBUTE_TYPES = ("string", "text", "number", "datetime", "singlevaluelist", "multivaluelist")


class Category(db.Model):
    """What a finding is about; teams own categories later on."""

    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    label_de: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    icon: Mapped[str] = mapped_column(String(16))
    sort: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class CategoryAttribute(db.Model):
    """A question a category asks, modelled on Open311 service attributes."""

    __tablename__ = "category_attributes"
    __table_args__ = (
        UniqueConstraint("category_slug", "code", name="category_code"),
        CheckConstraint("datatype IN ('" + "', '".join(ATTRIBUTE_TYPES) + "')", name="datatype"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_slug: Mapped[str] = mapped_column(ForeignKey("categories.slug", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    datatype: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    label_de: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    order: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    values: Mapped[list] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))


class Participant(db.Model):
    """Someone on a walk, known only by a random id kept in a signed cookie."""

    __tablename__ = "participants"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    walk_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("walks.id", ondelete="SET NULL"), index=True)
    nickname: Mapped[str | None] = mapped_column(String(40))
    # SHA-256 of the participant's private follow link; the link itself is never stored.
    follow_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
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
        CheckConstraint("urgency IS NULL OR urgency BETWEEN 1 AND 5", name="urgency"),
        CheckConstraint("text_moderation IN " + MODERATION_IN, name="text_moderation"),
        Index("ix_findings_pending_text", "created_at", postgresql_where=text("text_moderation = 'pending'")),
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
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    concern_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("concerns.id", ondelete="SET NULL"), index=True
    )
    attributes: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    urgency: Mapped[int | None] = mapped_column(SmallInteger)
    # What an Open311 client sent beside the point; the URL is kept as text, never fetched.
    address_string: Mapped[str | None] = mapped_column(String(250))
    media_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    # Whether the free text may be shown publicly, and a moderator's edited text shown instead.
    text_moderation: Mapped[str] = mapped_column(String(10), server_default="pending")
    public_description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Confirmation(db.Model):
    """A "+1": another participant says they saw the same thing (once per participant)."""

    __tablename__ = "confirmations"

    finding_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Photo(db.Model):
    """A photo of a finding; files live in the upload store under their content hash.

    ``sha256`` is the hash of the bytes the client sent, so a retried upload of the
    same file to the same finding is recognised and stored once.
    """

    __tablename__ = "photos"
    __table_args__ = (
        UniqueConstraint("finding_id", "sha256", name="finding_sha256"),
        CheckConstraint("moderation IN " + MODERATION_IN, name="moderation"),
        Index("ix_photos_pending", "created_at", postgresql_where=text("moderation = 'pending'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # Whether the photo may be shown publicly (mapapp.statuses.MODERATION_STATES).
    moderation: Mapped[str] = mapped_column(String(10), server_default="pending")
    # Boxes blurred in every published copy: found at upload or drawn by a reviewer.
    blur_regions: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    # Chosen by the team for the walk's public results page.
    featured: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # The unblurred original's hash, only where keeping originals is configured.
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PhotoRename(db.Model):
    """A stored hash a photo had before a reviewer blurred or unblurred part of it.

    A photo's file URLs name their content, and the old files are deleted (they may show what
    was blurred since). URLs that left the app earlier, the ``media_url`` sent to the city among
    them, lead through this table to the photo's current copy, as far as the asker may see it.
    """

    __tablename__ = "photo_renames"

    old_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    photo_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    renamed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ModerationEvent(db.Model):
    """One entry of the moderation trail: a text or photo approved, hidden, edited, blurred."""

    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    photo_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
