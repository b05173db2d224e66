"""Follow-ups as a township, a village or a grid worker sees them (their scope only), with
what is overdue; and a photo's file, for whoever may see its household."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from gridmgmt.db.models import Cadre, Followup, Household, Photo, Township, Village, VillageGroup
from gridmgmt.db.queries import among, household_scope
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.followups import CATEGORIES, STATES, is_overdue
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.followups.raising import FollowupNotFound


class PhotoNotFound(NotFound, LookupError):
    """No photo with this number in the user's scope (existence is not revealed)."""

    def __init__(self, photo_id: int):
        super().__init__(f"没有编号为 {photo_id} 的照片，或不在您的查看范围内")


@dataclass(frozen=True)
class FollowupItem:
    """One follow-up as the list, the map and its page show it."""

    id: int
    version: int
    category: str
    note: str
    state: str
    household_code: str
    household_head: str
    village: str
    group: str | None
    owner: str
    owner_phone: str | None
    raised_by: str
    raised_at: datetime
    due_at: datetime
    overdue: bool
    closed_at: datetime | None
    close_note: str | None
    lon: float
    lat: float
    photo_ids: tuple[int, ...]

    @property
    def category_label(self) -> str:
        """The category's Chinese name."""
        return CATEGORIES[self.category]

    @property
    def state_label(self) -> str:
        """The state's Chinese name."""
        return STATES[self.state]


def _items(session: Session, scope: Scope, now: datetime, *where) -> list[FollowupItem]:
    owner, raiser = aliased(Cadre), aliased(Cadre)
    rows = session.execute(
        select(
            Followup,
            Household.code,
            Household.head,
            Village.name,
            VillageGroup.name,
            owner.name,
            owner.phone,
            raiser.name,
            func.ST_X(Household.geom),
            func.ST_Y(Household.geom),
        )
        .join(Household, Followup.household_id == Household.id)
        .join(Village, Household.village_id == Village.id)
        .outerjoin(VillageGroup, Household.group_id == VillageGroup.id)
        .join(owner, Followup.owner_id == owner.id)
        .join(raiser, Followup.raised_by == raiser.id)
        .where(*household_scope(scope), *where)
        .order_by(Followup.due_at, Followup.id)
    ).all()
    visits = [row[0].visit_id for row in rows]
    photos: dict[int, list[int]] = {}
    for photo_id, visit_id in session.execute(
        select(Photo.id, Photo.visit_id).where(among(Photo.visit_id, visits)).order_by(Photo.id)
    ):
        photos.setdefault(visit_id, []).append(photo_id)
    return [
        FollowupItem(
            id=item.id,
            version=item.version,
            category=item.category,
            note=item.note,
            state=item.state,
            household_code=code,
            household_head=head,
            village=village,
            group=group,
            owner=owner_name,
            owner_phone=phone,
            raised_by=raiser_name,
            raised_at=item.raised_at,
            due_at=item.due_at,
            overdue=is_overdue(item.state, item.due_at, now),
            closed_at=item.closed_at,
            close_note=item.close_note,
            lon=lon,
            lat=lat,
            photo_ids=tuple(photos.get(item.visit_id, ())),
        )
        for item, code, head, village, group, owner_name, phone, raiser_name, lon, lat in rows
    ]


def township_followups(
    session: Session, township_code: str, scope: Scope, now: datetime, open_only: bool = True
) -> list[FollowupItem]:
    """The follow-ups of TOWNSHIP_CODE's households in SCOPE (the open ones when OPEN_ONLY),
    soonest due first; `overdue` as of NOW."""
    township = select(Village.id).join(Township, Village.township_id == Township.id)
    where = [Followup.village_id.in_(township.where(Township.code == township_code))]
    if open_only:
        where.append(Followup.state != "closed")
    return _items(session, scope, now, *where)


def followup(session: Session, followup_id: int, scope: Scope, now: datetime) -> FollowupItem:
    """Follow-up FOLLOWUP_ID when in SCOPE, else FollowupNotFound."""
    found = _items(session, scope, now, Followup.id == followup_id)
    if not found:
        raise FollowupNotFound(followup_id)
    return found[0]


def as_features(items: list[FollowupItem]) -> dict:
    """ITEMS as GeoJSON points for the map (what, state, overdue; never a household flag)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(i.lon, 6), round(i.lat, 6)]},
                "properties": {
                    "id": i.id,
                    "category": i.category_label,
                    "state": i.state_label,
                    "overdue": i.overdue,
                    "household": f"{i.household_head}户 {i.household_code}",
                },
            }
            for i in items
        ],
    }


def photo_file(session: Session, photo_id: int, scope: Scope, files_dir: Path) -> tuple[Path, str]:
    """The file and MIME type of photo PHOTO_ID when its household is in SCOPE, else PhotoNotFound."""
    row = session.execute(
        select(Photo.path, Photo.content_type)
        .join(Household, Photo.household_id == Household.id)
        .where(Photo.id == photo_id, *household_scope(scope))
    ).one_or_none()
    if row is None or not (Path(files_dir) / row.path).is_file():
        raise PhotoNotFound(photo_id)
    return Path(files_dir) / row.path, row.content_type
