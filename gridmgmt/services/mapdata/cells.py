"""The published grid plan for the desk maps of leaders, reviewers and planners: cell names at a
point inside each cell (the outlines come as vector tiles). No household data."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridCell, GridPlan, Township
from gridmgmt.db.queries import feature_collection, published_cells


def published_cell_labels(session: Session, code: str) -> dict:
    """Code and name of each cell of township CODE's published plan, at a point on its surface."""
    rows = published_cells(
        select(GridCell.code, GridCell.name, func.ST_PointOnSurface(GridCell.geom).label("geom"))
    ).where(GridPlan.township_id == select(Township.id).where(Township.code == code).scalar_subquery())
    return feature_collection(session, rows.order_by(GridCell.code))
