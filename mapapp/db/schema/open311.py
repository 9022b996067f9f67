"""Open311: the keys of clients sending to us, the city endpoint we send to, and each sending."""
import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from mapapp.db import db


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
