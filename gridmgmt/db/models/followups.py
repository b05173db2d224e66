"""Follow-ups (民情/需跟进) raised at visits, and photos taken at visits (files under files_dir)."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, Versioned, one_of
from gridmgmt.domain.followups import CATEGORIES, PHOTO_TYPES, STATES


class Followup(Timestamped, Versioned, Base):
    """An item a visit raised: its category and note, its owner, its state and how it was closed."""

    __tablename__ = "followup"
    __table_args__ = (one_of("category", CATEGORIES), one_of("state", STATES))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made on the phone, so a resent item is stored once.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text)
    raised_by: Mapped[int] = mapped_column(ForeignKey("cadre.id"))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    owner_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), server_default="open")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_note: Mapped[str | None] = mapped_column(Text)


class Photo(Timestamped, Base):
    """A photo taken at a visit: the file's name under files_dir/photos, its type, size and hash."""

    __tablename__ = "photo"
    __table_args__ = (one_of("content_type", PHOTO_TYPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(128))
    taken_by: Mapped[int] = mapped_column(ForeignKey("cadre.id"))
