"""Figures worked out once and kept in the database until what they are made from changes."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base


class TownshipVisitFigures(Base):
    """A township's visit duties done, overdue and due in all, as its 走访 page counts them, for the
    county overview; BASIS digests the day, the settings and the township's data they came from,
    CHECKED the day, the settings and the data versions of all those tables when BASIS was last found true."""

    __tablename__ = "township_visit_figures"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id", ondelete="CASCADE"), primary_key=True)
    basis: Mapped[str] = mapped_column(String(64))
    checked: Mapped[str] = mapped_column(String(64))
    done: Mapped[int]
    overdue: Mapped[int]
    total: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
