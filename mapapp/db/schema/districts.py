"""The districts: Stadtbezirke and the Ortsteile inside them, with their boundaries."""
from geoalchemy2 import Geometry
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mapapp.db import db

LEVELS = ("stadtbezirk", "ortsteil")


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
