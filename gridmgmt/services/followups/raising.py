"""Follow-ups raised and photos taken on a phone, stored once by client id; follow-ups moved
along their states. Each command audits what it did and commits."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from gridmgmt.db.models import Followup, Household, Photo, Visit
from gridmgmt.db.queries import household_scope
from gridmgmt.domain.errors import Conflict, NotFound
from gridmgmt.domain.followups import (
    PHOTO_TYPES,
    FollowupError,
    FollowupRules,
    StateConflict,
    check_category,
    next_state,
    photo_type,
)
from gridmgmt.domain.permissions import Scope
from gridmgmt.private_files import private_dir, write_private
from gridmgmt.services.accounts.audit import Actor, record

MAX_NOTE = 2000
MAX_PIXELS = 40_000_000  # a phone's shrunk photo is far smaller; more is a decompression bomb
PHOTOS = "photos"


class VisitNotYetStored(Conflict, FollowupError):
    """The visit a follow-up or photo belongs to has not arrived (yet): the phone sends it again later."""

    final = False

    def __init__(self):
        super().__init__("所属走访记录尚未上传，稍后自动重试")


class FollowupNotFound(NotFound, LookupError):
    """No follow-up with this number in the user's scope (existence is not revealed)."""

    def __init__(self, followup_id: int):
        super().__init__(f"没有编号为 {followup_id} 的跟进事项，或不在您的查看范围内")


@dataclass(frozen=True)
class Raised:
    """A follow-up from the phone: its client id, the visit's, who raised it, what and why."""

    client_id: str
    visit_client_id: str
    cadre_id: int
    category: str
    note: str


@dataclass(frozen=True)
class Taken:
    """A photo from the phone: its client id, the visit's, who took it and the file's bytes."""

    client_id: str
    visit_client_id: str
    cadre_id: int
    data: bytes


def as_uuid(value: str) -> uuid.UUID:
    """VALUE as a UUID, or a FollowupError naming the client id."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise FollowupError("提交编号（client_id）不是有效的 UUID") from None


def _visit(session: Session, visit_client_id: str, cadre_id: int) -> Visit:
    """The cadre's own stored visit under VISIT_CLIENT_ID (with a household), else VisitNotYetStored."""
    visit = session.scalar(select(Visit).where(Visit.client_id == as_uuid(visit_client_id), Visit.cadre_id == cadre_id))
    if visit is None:
        raise VisitNotYetStored()
    if visit.household_id is None:
        raise FollowupError("只有入户走访能登记跟进事项和照片")
    return visit


def _stored_once(session: Session, model, values: dict) -> tuple[object, bool]:
    """Insert VALUES into MODEL's table unless its client id is there; (the row, created)."""
    new_id = session.scalar(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=["client_id"]).returning(model.id)
    )
    row = session.scalar(select(model).where(model.client_id == values["client_id"]))
    return row, new_id is not None


def raise_followup(session: Session, item: Raised, rules: FollowupRules, actor: Actor) -> tuple[Followup, bool]:
    """Store ITEM once (owner: whoever raised it; due by RULES); (the stored item, created). Commits."""
    client_id = as_uuid(item.client_id)
    found = session.scalar(select(Followup).where(Followup.client_id == client_id))
    if found is not None:
        return found, False
    note = item.note.strip()
    if not note:
        raise FollowupError("请写明需跟进的事项")
    if len(note) > MAX_NOTE:
        raise FollowupError(f"跟进事项不能超过 {MAX_NOTE} 字")
    visit = _visit(session, item.visit_client_id, item.cadre_id)
    village_id = session.scalar(select(Household.village_id).where(Household.id == visit.household_id))
    stored, created = _stored_once(
        session,
        Followup,
        {
            "client_id": client_id,
            "visit_id": visit.id,
            "household_id": visit.household_id,
            "village_id": village_id,
            "category": check_category(item.category),
            "note": note,
            "raised_by": item.cadre_id,
            "raised_at": visit.visited_at,
            "owner_id": item.cadre_id,
            "due_at": rules.due_at(visit.visited_at),
        },
    )
    if created:
        record(session, actor, "raise_followup", target=f"followup:{stored.id}", detail={"category": item.category})
    session.commit()
    return stored, created


def _clean(data: bytes) -> bytes:
    """DATA as an image Pillow can open, with any EXIF (place, time, phone) removed."""
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise FollowupError("照片像素过多，请压缩后再传")
            image.load()
            if not image.getexif() and "exif" not in image.info:
                return data
            out = BytesIO()
            image.save(out, format=image.format, **({"quality": 85} if image.format == "JPEG" else {}))
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise FollowupError("照片文件已损坏，无法打开，请重新拍摄") from None


def store_photo(session: Session, photo: Taken, files_dir: Path, actor: Actor) -> tuple[Photo, bool]:
    """Store PHOTO once under FILES_DIR/photos (0600, named by its hash); (the row, created). Commits.

    Refuses (Chinese) anything but a JPEG, PNG or WebP within the size limit."""
    client_id = as_uuid(photo.client_id)
    found = session.scalar(select(Photo).where(Photo.client_id == client_id))
    if found is not None:
        return found, False
    kind = photo_type(photo.data)
    visit = _visit(session, photo.visit_client_id, photo.cadre_id)
    data = _clean(photo.data)
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(PHOTOS) / digest[:2] / f"{digest}.{PHOTO_TYPES[kind]}"
    private_dir(Path(files_dir) / relative.parent)
    write_private(Path(files_dir) / relative, data)
    stored, created = _stored_once(
        session,
        Photo,
        {
            "client_id": client_id,
            "visit_id": visit.id,
            "household_id": visit.household_id,
            "content_type": kind,
            "size": len(data),
            "sha256": digest,
            "path": str(relative),
            "taken_by": photo.cadre_id,
        },
    )
    if created:
        record(session, actor, "upload_photo", target=f"photo:{stored.id}", detail={"bytes": len(data)})
    session.commit()
    return stored, created


def move_followup(
    session: Session, followup_id: int, wanted: str, note: str | None, version: int, scope: Scope, actor: Actor
) -> Followup:
    """Move follow-up FOLLOWUP_ID (as the user saw it at VERSION) to WANTED; closing keeps NOTE. Commits.

    Raises FollowupNotFound outside SCOPE, StateConflict when the move is not allowed or the
    item changed since VERSION, FollowupError when closing without a note."""
    item = session.scalar(
        select(Followup)
        .join(Household, Followup.household_id == Household.id)
        .where(Followup.id == followup_id, *household_scope(scope))
        .with_for_update(of=Followup)
    )
    if item is None:
        raise FollowupNotFound(followup_id)
    if item.version != version:
        raise StateConflict("此事项已被他人更新，请刷新页面后再操作")
    before = item.state
    item.state = next_state(item.state, wanted, note)
    if wanted == "closed":
        item.closed_at = datetime.now(UTC)
        item.close_note = note.strip()
    record(session, actor, "move_followup", target=f"followup:{item.id}", detail={"from": before, "to": item.state})
    session.commit()
    return item
