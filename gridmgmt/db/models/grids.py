"""Per-plan grid membership, liaisons and split reasons: a draft plan never touches household rows.

household.grid_cell_id and the liaison table follow the published plan (set on publish).
"""

from datetime import datetime

from sqlalchemy import ARRAY, Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, one_of

# What a split reason is about: a cell cut in two, or a 村民小组 whose households lie in several cells.
SPLIT_KINDS = ("cell", "group")
# The hand edits that lock a household in its cell until the planner unlocks it.
LOCK_EDITS = ("move", "group", "redraw")
# Who gave it: the allocation (its rule reason) or a planner (in words).
REASON_SOURCES = ("allocation", "planner")


class GridMembership(Base):
    """Which cell of a plan a household belongs to."""

    __tablename__ = "grid_membership"

    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    cell_id: Mapped[int] = mapped_column(ForeignKey("grid_cell.id", ondelete="CASCADE"), index=True)


class GridLock(Base):
    """A household a planner placed by hand in a draft plan: rebalance keeps it in its cell."""

    __tablename__ = "grid_lock"
    __table_args__ = (one_of("edit", LOCK_EDITS),)

    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    edit: Mapped[str] = mapped_column(String(8))
    locked_by: Mapped[str | None] = mapped_column(String(64))  # the planner's username
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class GridLiaison(Base):
    """The party member a plan links a household to (党员联户), at most one per household."""

    __tablename__ = "grid_liaison"

    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    party_member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"), index=True)


class GridSplitReason(Timestamped, Base):
    """Why a plan splits a cell or a 村民小组, as given when it was split (one per plan, kind, subject)."""

    __tablename__ = "grid_split_reason"
    __table_args__ = (
        UniqueConstraint("plan_id", "kind", "subject"),
        one_of("kind", SPLIT_KINDS),
        one_of("source", REASON_SOURCES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    # The cell that was split (its code), or the village group's code.
    subject: Mapped[str] = mapped_column(String(64))
    # The cells the split made (a cell split); empty for a group.
    cells: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[str | None] = mapped_column(String(64))  # the planner's username
    # The allocation's proof that the village cannot split fewer groups (splits.with_proofs).
    proven: Mapped[bool] = mapped_column(Boolean, server_default="false")
