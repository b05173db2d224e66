"""Data versions: a number per table that changes with every statement writing the table."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base

# The tables the public tile layers read; triggers (migration 0011) keep their versions.
VERSIONED_TABLES = ("village", "village_group", "road", "grid_plan", "grid_cell", "water")


class DataVersion(Base):
    """The version of one table, raised by a statement-level trigger in the writing transaction.

    The version is the time of the write in microseconds (at least the old version plus one),
    so it never repeats, not even after a restore from an older backup.
    """

    __tablename__ = "data_version"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
