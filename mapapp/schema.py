"""The database schema as SQLAlchemy tables: what the migrations must build.

The migrations (migrations/versions) create the database; tests/test_migrations.py checks
that they build exactly these tables (``db.metadata``). The app's queries are SQL text, so
these classes are mostly the schema's declaration, not an object model.

Geometries are stored in EPSG:4326 with a GiST index each; distances and areas are
computed in EPSG:25832 (metres) inside the queries that need them.
"""
import uuid
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Column, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String,
    Table, Text, UniqueConstraint, func, text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mapapp.db import db
from mapapp.statuses import CONCERN_STATUSES, FINDING_STATUSES, MODERATION_STATES

MODERATION_IN = "('" + "', '".join(MODERATION_STATES) + "')"
LEVELS = ("stadtbezirk", "ortsteil")
ROLES = ("organiser", "team_member")
ATTRIBUTE_TYPES = ("string", "text", "number", "datetime", "singlevaluelist", "multivaluelist")


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


class User(db.Model):
    """A person who signs in: an organiser, or a member of one or more teams."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('" + "', '".join(ROLES) + "')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="organiser", server_default="organiser")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Raised by logout, a password change and deactivation: every earlier session is void.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


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
    stored_sha256: Mapped[str] = mapped_column(String(64))
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
    # Who acted without an account: "cli:<OS user>" for a command-line action (mapapp.cli_helpers).
    actor: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class ApiKey(db.Model):
    """A key an Open311 client sends as ``api_key``; only its sha256 is kept, shown once on issue."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    key_hash: Mapped[str] = mapped_column(Text, unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CityEndpoint(db.Model):
    """The city's Open311 GeoReport v2 endpoint we send concerns to.

    ``api_key`` is the key the city issued to us, kept as given because every request must
    present it: the database and its backups must be protected. ``service_map`` maps our
    category slugs to the city's ``service_code``s.
    """

    __tablename__ = "city_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    base_url: Mapped[str] = mapped_column(Text)
    jurisdiction_id: Mapped[str | None] = mapped_column(Text)
    api_key: Mapped[str] = mapped_column(Text)
    service_map: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CitySubmission(db.Model):
    """A concern sent (or to be sent) to a city endpoint; at most one per concern."""

    __tablename__ = "city_submissions"
    __table_args__ = (CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed', 'uncertain')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"), unique=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("city_endpoints.id", ondelete="RESTRICT"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    service_request_id: Mapped[str | None] = mapped_column(Text)
    token: Mapped[str | None] = mapped_column(Text)
    city_status: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


EXPORT_JOB_STATES = ("queued", "running", "done", "failed")


class ExportJob(db.Model):
    """An export made in the background: its filters, its progress and, when done, its file.

    ``params`` holds the export's filters as the organiser page and the CLI take them;
    ``progress``/``total`` count rows written, ``stage`` names the part being written.
    """

    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('" + "', '".join(EXPORT_JOB_STATES) + "')", name="state"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    format: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued", index=True)
    stage: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FindingCell(db.Model):
    """How many findings lie in one fine grid cell, per category and district; kept by a trigger.

    The zoomed-out map and vector tiles add these up instead of reading every finding
    (migration 0007 explains the grid). District ids are 0 where a finding has none.
    """

    __tablename__ = "finding_cells"

    cx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cy: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    category_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    ortsteil_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default="0")
    stadtbezirk_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default="0")
    n: Mapped[int] = mapped_column(Integer)
    sx: Mapped[float] = mapped_column(Float)
    sy: Mapped[float] = mapped_column(Float)
    newest: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
