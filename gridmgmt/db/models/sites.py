"""The review record of 党建示范点: every status change, who decided it and why."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, one_of
from gridmgmt.domain.site_review import AWARD_LEVELS, STEPS


class DemoSiteReview(Base):
    """One review step of a demo site (申报, 初审, 实地验收, 授牌, 复审); never edited."""

    __tablename__ = "demo_site_review"
    __table_args__ = (one_of("step", STEPS), one_of("level", AWARD_LEVELS))

    id: Mapped[int] = mapped_column(primary_key=True)
    demo_site_id: Mapped[int] = mapped_column(ForeignKey("demo_site.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    level: Mapped[str | None] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
