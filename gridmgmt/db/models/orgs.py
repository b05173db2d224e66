"""一帮一 pairings and 组织生活 meetings of party organisations."""

import uuid
from datetime import date

from sqlalchemy import ARRAY, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, geometry_column, one_of, valid_point
from gridmgmt.domain.org_life import MEETING_TYPES


class HelpPairing(Timestamped, Base):
    """一帮一 帮扶: a party member helping a 困难 household from start_date until end_date (not 联户 contact)."""

    __tablename__ = "help_pairing"
    __table_args__ = (UniqueConstraint("party_member_id", "household_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class OrgMeeting(Timestamped, Base):
    """A 组织生活 meeting a party org held: type, day, venue, attendees, and the phone's check-in."""

    __tablename__ = "org_meeting"
    __table_args__ = (valid_point(), one_of("meeting_type", MEETING_TYPES))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Generated on the phone so that a retried submission is not stored twice.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    party_org_id: Mapped[int] = mapped_column(ForeignKey("party_org.id", ondelete="CASCADE"), index=True)
    meeting_type: Mapped[str] = mapped_column(String(24))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    venue: Mapped[str | None] = mapped_column(String(128))
    topic: Mapped[str | None] = mapped_column(Text)
    # party_member ids present (党小组 members included); the count when names were not taken.
    attendee_ids: Mapped[list[int]] = mapped_column(ARRAY(Integer), server_default="{}")
    attendees: Mapped[int] = mapped_column(Integer, server_default="0")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    # The check-in: where the phone was, and how far that is from the org's venue.
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    at_venue: Mapped[bool | None] = mapped_column(Boolean)
    geom = geometry_column("POINT", nullable=True)
