"""Check-ins (在村签到): a cadre's located, dated presence in a village, recorded on the phone."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, geometry_column, valid_point


class Checkin(Timestamped, Base):
    """A cadre was at GEOM, inside the village, at CHECKED_AT: evidence of days worked in the village."""

    __tablename__ = "checkin"
    __table_args__ = (valid_point(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Generated on the phone so that a retried check-in is not stored twice.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id", ondelete="CASCADE"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    geom = geometry_column("POINT")
