"""Follow-ups and photos on real PostGIS (issue 12): stored once by client id, audited,
moved along their states, overdue, scoped; photos private under the files folder, their
EXIF removed, refused in Chinese when they are not photos; backups carry them; the
household file holds the grid worker, liaisons and visit history."""

import tarfile
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from gridmgmt.config import get_settings
from gridmgmt.db.backup import backup
from gridmgmt.db.models import (
    AuditLog,
    Cadre,
    Followup,
    GridCell,
    GridPlan,
    Liaison,
    PartyMember,
    PartyOrg,
    Photo,
    Visit,
)
from gridmgmt.domain.errors import Conflict, UserError
from gridmgmt.domain.followups import FollowupRules, StateConflict
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.followups.household_file import household_files
from gridmgmt.services.followups.raising import (
    Raised,
    Taken,
    VisitNotYetStored,
    move_followup,
    raise_followup,
    store_photo,
)
from gridmgmt.services.followups.reads import PhotoNotFound, followup, photo_file, township_followups
from gridmgmt.services.visits.records import VisitInput, record_visit
from tests.integration.visit_fixtures import SETTINGS, TOWN, build

ACTOR = Actor("gw", remote_addr="127.0.0.1")
RULES = FollowupRules(due_days=7)


def jpeg(with_exif: bool = False) -> bytes:
    """A small real JPEG, with a GPS-bearing EXIF block when WITH_EXIF."""
    out = BytesIO()
    exif = Image.Exif()
    if with_exif:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (23.0, 54.0, 36.0)}  # GPSInfo
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes() if with_exif else b"")
    return out.getvalue()


@pytest.fixture
def town(session):
    ids = build(session)
    gw = ids["cadres"]["grid_worker"]
    visit, _ = record_visit(
        session,
        VisitInput(str(uuid.uuid4()), gw, datetime.now(UTC) - timedelta(days=10), household_id=ids["households"][1].id),
        SETTINGS,
    )
    return {**ids, "gw": gw, "visit": visit, "scope": Scope(township_ids=frozenset({ids["township"].id}))}


def test_a_follow_up_is_stored_once_owned_by_its_raiser_and_audited(session, town):
    item = Raised(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], "livelihood", " 屋顶漏雨 ")
    first, created = raise_followup(session, item, RULES, ACTOR)
    again, created_again = raise_followup(session, item, RULES, ACTOR)
    assert created and not created_again and again.id == first.id
    assert session.scalar(select(func.count()).select_from(Followup)) == 1
    assert (first.state, first.owner_id, first.note) == ("open", town["gw"], "屋顶漏雨")
    assert first.raised_at == town["visit"].visited_at and first.due_at == first.raised_at + timedelta(days=7)
    audits = session.scalars(select(AuditLog).where(AuditLog.action == "raise_followup")).all()
    assert [a.target for a in audits] == [f"followup:{first.id}"]


def test_a_follow_up_before_its_visit_waits_and_bad_ones_are_refused(session, town):
    early = Raised(str(uuid.uuid4()), str(uuid.uuid4()), town["gw"], "health", "需送医")
    with pytest.raises(VisitNotYetStored) as waiting:
        raise_followup(session, early, RULES, ACTOR)
    assert waiting.value.final is False and "稍后自动重试" in str(waiting.value)
    other_cadre = Raised(
        str(uuid.uuid4()), str(town["visit"].client_id), town["cadres"]["first_secretary"], "health", "x"
    )
    with pytest.raises(VisitNotYetStored):  # someone else's visit is not theirs to add to
        raise_followup(session, other_cadre, RULES, ACTOR)
    for bad, why in ((" ", "写明"), ("x" * 2001, "2000")):
        with pytest.raises(UserError, match=why):
            raise_followup(
                session,
                Raised(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], "health", bad),
                RULES,
                ACTOR,
            )
    with pytest.raises(UserError, match="weather"):
        raise_followup(
            session, Raised(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], "weather", "x"), RULES, ACTOR
        )
    assert session.scalar(select(func.count()).select_from(Followup)) == 0


def test_moving_through_the_states_closing_needs_a_note_and_a_stale_page_is_refused(session, town):
    item, _ = raise_followup(
        session,
        Raised(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], "dispute", "邻里纠纷"),
        RULES,
        ACTOR,
    )
    scope = town["scope"]
    with pytest.raises(UserError, match="办结须填写办理情况"):
        move_followup(session, item.id, "closed", "  ", item.version, scope, ACTOR)
    taken = move_followup(session, item.id, "in_progress", None, item.version, scope, ACTOR)
    assert taken.state == "in_progress" and taken.version == 2
    with pytest.raises(StateConflict, match="他人更新"):
        move_followup(session, item.id, "closed", "已调解", 1, scope, ACTOR)
    closed = move_followup(session, item.id, "closed", " 已调解，双方签字 ", 2, scope, ACTOR)
    assert closed.state == "closed" and closed.close_note == "已调解，双方签字" and closed.closed_at
    with pytest.raises(Conflict):
        move_followup(session, item.id, "in_progress", None, closed.version, scope, ACTOR)
    moves = session.scalars(select(AuditLog.detail).where(AuditLog.action == "move_followup").order_by(AuditLog.id))
    assert [d["to"] for d in moves] == ["in_progress", "closed"]


def test_lists_are_scoped_overdue_stands_out_and_closed_ones_leave_the_open_list(session, town):
    late, _ = raise_followup(
        session, Raised(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], "safety", "电线老化"), RULES, ACTOR
    )
    fresh_visit, _ = record_visit(
        session,
        VisitInput(str(uuid.uuid4()), town["gw"], datetime.now(UTC), household_id=town["households"][2].id),
        SETTINGS,
    )
    fresh, _ = raise_followup(
        session, Raised(str(uuid.uuid4()), str(fresh_visit.client_id), town["gw"], "policy", "咨询医保"), RULES, ACTOR
    )
    now = datetime.now(UTC)
    items = township_followups(session, TOWN, town["scope"], now)
    assert [(i.id, i.overdue) for i in items] == [(late.id, True), (fresh.id, False)]
    assert items[0].household_code == "H002" and items[0].owner == "干部1" and items[0].category_label == "安全隐患"
    assert township_followups(session, "000000000000", town["scope"], now) == []
    elsewhere = Scope(township_ids=frozenset({town["township"].id}), village_ids=frozenset(), grid_cell_ids=frozenset())
    assert township_followups(session, TOWN, elsewhere, now) == []
    with pytest.raises(UserError):
        followup(session, late.id, elsewhere, now)
    move_followup(session, late.id, "closed", "已更换", late.version, town["scope"], ACTOR)
    assert [i.id for i in township_followups(session, TOWN, town["scope"], now)] == [fresh.id]
    everything = township_followups(session, TOWN, town["scope"], now, open_only=False)
    assert {i.id: i.overdue for i in everything} == {late.id: False, fresh.id: False}  # closed is never overdue


def test_a_photo_is_kept_private_once_without_exif_and_served_in_scope(session, town, tmp_path):
    files = tmp_path / "files"
    taken = Taken(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], jpeg(with_exif=True))
    photo, created = store_photo(session, taken, files, ACTOR)
    again, created_again = store_photo(session, taken, files, ACTOR)
    assert created and not created_again and again.id == photo.id
    path, kind = photo_file(session, photo.id, town["scope"], files)
    assert kind == "image/jpeg" and path.is_relative_to(files / "photos")
    assert oct(path.stat().st_mode & 0o777) == "0o600" and oct(path.parent.stat().st_mode & 0o777) == "0o700"
    with Image.open(path) as image:
        assert not image.getexif() and image.size == (64, 48)
    assert photo.size == path.stat().st_size and photo.household_id == town["visit"].household_id
    elsewhere = Scope(township_ids=frozenset({town["township"].id + 1}))
    with pytest.raises(PhotoNotFound):
        photo_file(session, photo.id, elsewhere, files)
    assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "upload_photo")) == 1


@pytest.mark.parametrize(
    "data, why",
    [
        (b"GIF89a" + b"\0" * 40, "JPEG、PNG 或 WebP"),
        (b"\xff\xd8\xff" + b"\0" * 500_000, "超过 400 KB"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "已损坏"),
    ],
)
def test_what_is_not_a_photo_is_refused_and_nothing_is_written(session, town, tmp_path, data, why):
    with pytest.raises(UserError, match=why):
        store_photo(session, Taken(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], data), tmp_path, ACTOR)
    assert session.scalar(select(func.count()).select_from(Photo)) == 0
    assert not (tmp_path / "photos").exists() or not any((tmp_path / "photos").rglob("*.*"))


def test_backups_carry_the_photos(session, town, tmp_path):
    settings = get_settings().model_copy(update={"db_name": get_settings().test_db_name, "files_dir": tmp_path / "f"})
    photo, _ = store_photo(
        session, Taken(str(uuid.uuid4()), str(town["visit"].client_id), town["gw"], jpeg()), settings.files_dir, ACTOR
    )
    made = backup(settings, tmp_path / "backups")
    with tarfile.open(made.path) as archive:
        member = archive.extractfile(f"files/{photo.path}")
        assert member is not None and member.read() == (settings.files_dir / photo.path).read_bytes()


def test_the_household_file_names_who_looks_after_it_and_its_visits(session, town):
    home = town["households"][1]
    plan = GridPlan(township_id=town["township"].id, name="方案", status="published")
    session.add(plan)
    session.flush()
    cell = GridCell(
        plan_id=plan.id,
        village_id=town["village"].id,
        code="W1",
        grid_worker_id=town["gw"],
        geom="SRID=4326;MULTIPOLYGON(((115.70 23.90, 115.72 23.90, 115.72 23.92, 115.70 23.92, 115.70 23.90)))",
    )
    org = PartyOrg(township_id=town["township"].id, code="O1", name="测试村党支部", org_type="branch")
    session.add_all([cell, org])
    session.flush()
    member = PartyMember(party_org_id=org.id, code="M1", name="李联户")
    session.add(member)
    session.flush()
    session.add(Liaison(party_member_id=member.id, household_id=home.id))
    home.grid_cell_id = cell.id
    gw = town["gw"]
    session.get_one(Visit, town["visit"].id).note = "老人腿脚不便"
    session.get_one(Cadre, gw).phone = "13800000001"
    session.commit()
    item, _ = raise_followup(
        session, Raised(str(uuid.uuid4()), str(town["visit"].client_id), gw, "health", "需联系村医"), RULES, ACTOR
    )
    files = household_files(session, [home.id, town["households"][5].id])
    mine = files[home.id]
    assert mine["grid_workers"] == [{"name": "干部1", "phone": "13800000001"}]
    assert mine["liaisons"] == [{"name": "李联户", "phone": None}]
    assert len(mine["visits"]) == 1
    visit = mine["visits"][0]
    assert (visit["cadre"], visit["kind"], visit["note"]) == ("干部1", "日常走访", "老人腿脚不便")
    assert visit["followups"] == [{"id": item.id, "category": "看病就医", "note": "需联系村医", "state": "待办"}]
    assert files[town["households"][5].id] == {"grid_workers": [], "liaisons": [], "visits": []}
