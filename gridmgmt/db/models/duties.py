"""Visit duties (走访职责): the editable copy of gridmgmt.domain.duties."""

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, one_of
from gridmgmt.domain.duties import PERIODS, SCOPES, TARGETS


class Duty(Timestamped, Base):
    """Who (cadre roles or one cadre) visits which targets in what scope, how often."""

    __tablename__ = "duty"
    __table_args__ = (
        one_of("scope", SCOPES),
        one_of("target", TARGETS),
        one_of("period", PERIODS),
        CheckConstraint("cardinality(cadre_roles) > 0 OR cadre_id IS NOT NULL", name="who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    cadre_roles: Mapped[list[str]] = mapped_column(ARRAY(String(24)), server_default="{}")
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(String(24))
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(24)), server_default="{}")
    period: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
