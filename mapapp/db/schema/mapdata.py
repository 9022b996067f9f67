"""The counts behind the zoomed-out map: findings per grid cell, kept by triggers."""
import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, Integer, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from mapapp.db import db


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


class FindingDayCell(db.Model):
    """``finding_cells`` also per Duisburg day, status as shown, walk (nil UUID: none) and at two
    levels (0: base cell, 3: 8×8 base cells); kept by the same triggers (migration 0013)."""

    __tablename__ = "finding_day_cells"
    __table_args__ = (
        Index("ix_finding_day_cells_level_cy_cx", "level", "cy", "cx"),
        Index("ix_finding_day_cells_level_day", "level", "day", "cx", "cy"),
        Index("ix_finding_day_cells_level_walk", "level", "walk_id", "cx", "cy"),
    )

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    cx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cy: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    walk_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    category_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    ortsteil_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stadtbezirk_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)
    sx: Mapped[float] = mapped_column(Float)
    sy: Mapped[float] = mapped_column(Float)
    newest: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
