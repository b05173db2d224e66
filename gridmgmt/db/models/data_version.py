"""Data versions: a number per table that changes with every transaction writing the table, as it commits."""

from sqlalchemy import BigInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base

# The tables the public tile layers read; triggers (migration 0011) keep their versions.
VERSIONED_TABLES = ("village", "village_group", "road", "grid_plan", "grid_cell", "water")


class DataVersion(Base):
    """The version of one table, raised when a transaction that wrote it commits (statement-level
    triggers note the table; migration 0027 raises every noted table's version at commit).

    The version is the time of the write in microseconds (at least the old version plus one),
    so it never repeats, not even after a restore from an older backup.
    """

    __tablename__ = "data_version"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class DataVersionDue(Base):
    """A transaction that wrote a versioned table, until it commits: inserting this row queues the deferred
    trigger that raises the noted tables' versions at commit, in name order (migration 0027)."""

    __tablename__ = "data_version_due"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, server_default=text("txid_current()"))
