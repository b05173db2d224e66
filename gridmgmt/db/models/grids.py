"""Per-plan grid membership and liaisons: a draft plan never touches household rows.

household.grid_cell_id and the liaison table follow the published plan (set on publish).
"""

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base


class GridMembership(Base):
    """Which cell of a plan a household belongs to."""

    __tablename__ = "grid_membership"

    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    cell_id: Mapped[int] = mapped_column(ForeignKey("grid_cell.id", ondelete="CASCADE"), index=True)


class GridLiaison(Base):
    """The party member a plan links a household to (党员联户), at most one per household."""

    __tablename__ = "grid_liaison"

    plan_id: Mapped[int] = mapped_column(ForeignKey("grid_plan.id", ondelete="CASCADE"), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    party_member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"), index=True)
