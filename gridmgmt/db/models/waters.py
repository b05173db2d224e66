"""水系: rivers and canals (lines), ponds, reservoirs and lakes (polygons)."""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gridmgmt.db.models.base import Base, Timestamped, Versioned, geometry_column, one_of, valid_geom
from gridmgmt.domain.vocab import WATER_KINDS


class Water(Timestamped, Versioned, Base):
    """A river, canal, pond, reservoir or lake; grid allocation prefers its banks as cell edges."""

    __tablename__ = "water"
    __table_args__ = (
        valid_geom(),
        one_of("kind", WATER_KINDS),
        CheckConstraint(
            "ST_GeometryType(geom) IN ('ST_LineString', 'ST_MultiLineString', 'ST_MultiPolygon')", name="geom_kind"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    geom = geometry_column("GEOMETRY")
