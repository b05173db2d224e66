"""Declarative base and the columns every table shares."""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of all models; constraint names follow NAMING so migrations are stable."""

    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    """created_at / updated_at kept by the database."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Versioned:
    """Optimistic locking: a stale UPDATE raises StaleDataError (HTTP 409 upstream)."""

    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy directive
        """Let the ORM bump and check version on every UPDATE."""
        return {"version_id_col": cls.__table__.c.version}


def geometry_column(kind: str, nullable: bool = False):
    """A GiST-indexed EPSG:4326 geometry column of KIND."""
    return mapped_column(Geometry(kind, srid=4326, spatial_index=True), nullable=nullable)


def valid_geom(column: str = "geom") -> CheckConstraint:
    """Refuse invalid geometries at the database."""
    return CheckConstraint(f"ST_IsValid({column})", name=f"{column}_valid")


def valid_point(column: str = "geom") -> CheckConstraint:
    """Refuse at the database a point that is empty or off the longitude and latitude ranges (NaN and infinity
    too): ST_IsValid of a point refuses only NaN and infinity."""
    lon, lat = f"ST_X({column})", f"ST_Y({column})"
    return CheckConstraint(
        f"NOT ST_IsEmpty({column}) AND {lon} BETWEEN -180 AND 180 AND {lat} BETWEEN -90 AND 90", name=f"{column}_lonlat"
    )


def one_of(column: str, values) -> CheckConstraint:
    """Restrict COLUMN to the glossary VALUES."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_allowed")
