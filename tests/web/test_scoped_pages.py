"""Village, household, phone and audit pages: content, scope, masking and auditing."""

import csv
import io
import json
import logging
from datetime import date

from sqlalchemy import select

from gridmgmt.db.models import AuditLog, Cadre, CadreVillage, Household, PartyMember, PartyOrg, Township, Village
from gridmgmt.domain.vocab import MUST_VISIT_FLAGS
from tests.web.people import IN_SCOPE, OUT_OF_SCOPE
from tests.web.sample import TOWNSHIP_CODE, _box


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _has(html, text):
    return text in html or json.dumps(text)[1:-1] in html


def test_village_page_counts_groups_and_party(as_user, session):
    org = session.scalars(select(PartyOrg)).one()
    session.add_all(
        [
            PartyMember(
                party_org_id=org.id,
                household_id=1,
                code=f"M{i}",
                name=f"党员{i}",
                status="full" if i < 2 else "probationary",
            )
            for i in range(3)
        ]
    )
    session.commit()
    html = _html(as_user("leader"), "/villages/441500100201")
    assert "<h1>西村</h1>" in html
    assert "<b>2</b>村民小组" in html and "<b>2</b>户" in html and "<b>3</b>党员" in html
    assert "西村上组" in html and "3 名" in html and "无党员" in html  # 下组 has none
    assert "西村党支部" in html and "仅设书记" in html
    assert "网格员甲（网格员，包村）" in html
    assert "L.control.layers" in html and _has(html, "农户")
    for flag in MUST_VISIT_FLAGS:
        assert flag not in html


def test_household_page_shows_flags_to_the_grid_worker_and_audits(as_user, session):
    html = _html(as_user("grid_worker"), f"/households/{IN_SCOPE[2]}")
    assert "44150010020201001" in html and "东村" in html and "<dd>东村一格（W1）</dd>" in html
    assert html.count('class="flag-yes"') == 3
    assert "危重病人家庭" in html and "***" not in html and "已记入审计日志" in html
    row = session.scalars(select(AuditLog)).one()
    assert (row.action, row.actor, row.target, row.remote_addr) == (
        "read_sensitive",
        "grid_worker",
        f"household:{IN_SCOPE[2]}",
        "127.0.0.1",
    )


def test_household_page_masks_flags_for_the_leader(as_user, session):
    html = _html(as_user("leader"), f"/households/{IN_SCOPE[2]}")
    assert html.count('<span class="masked">***</span>') == 5
    assert 'class="flag-yes"' not in html
    assert session.scalars(select(AuditLog)).all() == []


def test_grid_worker_never_gets_a_household_outside_the_scope(as_user, session):
    client = as_user("grid_worker")
    for code in OUT_OF_SCOPE:
        response = client.get(f"/households/{code}")
        assert response.status_code == 404
        assert "张三" not in response.get_data(as_text=True)
    assert session.scalars(select(AuditLog)).all() == []


def test_flag_reads_leave_nothing_in_the_log(as_user, caplog):
    caplog.set_level(logging.DEBUG)
    _html(as_user("planner"), f"/households/{IN_SCOPE[2]}")
    text = caplog.text
    assert not any(flag in text for flag in MUST_VISIT_FLAGS)
    assert not any(label in text for label in MUST_VISIT_FLAGS.values())


def test_phone_page_lists_only_the_grid_workers_scope(as_user):
    client = as_user("grid_worker")
    html = _html(client, "/m")  # the shell: its lists and map are drawn from the working set
    assert "我的网格" in html and 'id="field-map"' in html
    data = client.get("/api/field/data").json
    assert sorted(h["code"] for h in data["households"]) == sorted(IN_SCOPE)
    assert {f["properties"]["name"] for f in data["area"]["labels"]["features"]} == {"西村", "东村"}
    for code in OUT_OF_SCOPE:
        assert code not in html and code not in str(data)
    for label in MUST_VISIT_FLAGS.values():  # the flags come with the working set, never in the page
        assert label not in html


def test_village_page_lists_postings_in_force_with_term_ends(as_user, session):
    """003 二.1“任期两年” and postings read with their dates: a first secretary posted on 1 March
    2025 shows 任期至 2027-02-28; a work-team member whose posting ended is no longer listed."""
    village = session.scalar(select(Village.id).where(Village.code == "441500100201"))
    township = session.scalar(select(Village.township_id).where(Village.id == village))
    fs, gone = (
        Cadre(township_id=township, code=c, name=n, cadre_role=r)
        for c, n, r in [
            ("FS1", "书记乙", "first_secretary"),
            ("WT1", "队员丙", "work_team"),
        ]
    )
    session.add_all([fs, gone])
    session.flush()
    session.add_all(
        [
            CadreVillage(cadre_id=fs.id, village_id=village, assignment="first_secretary", start_date=date(2025, 3, 1)),
            CadreVillage(
                cadre_id=gone.id,
                village_id=village,
                assignment="work_team",
                start_date=date(2024, 3, 1),
                end_date=date(2025, 2, 28),
            ),
        ]
    )
    session.commit()
    html = _html(as_user("leader"), "/villages/441500100201")
    assert "书记乙（第一书记，第一书记驻村，任期至 2027-02-28）" in html
    assert "网格员甲（网格员，包村）" in html and "队员丙" not in html


def test_phone_page_without_assignments_says_so(as_user, session):
    from gridmgmt.db.models import CadreVillage, GridPlan

    session.delete(session.scalars(select(CadreVillage)).one())
    session.scalars(select(GridPlan)).one().status = "archived"
    session.commit()
    html = _html(as_user("grid_worker"), "/m")
    assert "您还没有分配包村、驻村或网格" in html and "示范镇党委组织委员" in html


def test_audit_page_lists_and_filters(as_user):
    as_user("planner").get(f"/households/{IN_SCOPE[0]}")
    admin = as_user("admin")
    admin.get(f"/households/{IN_SCOPE[1]}")
    html = _html(admin, "/audit")
    assert "共 2 条" in html and "查看敏感信息" in html and f"农户 {IN_SCOPE[0]}" in html
    html = _html(admin, "/audit?actor=planner&action=read_sensitive&since=2000-01-01")
    assert "共 1 条" in html and f"农户 {IN_SCOPE[1]}" not in html
    assert 'href="/audit/export.csv?actor=planner&amp;action=read_sensitive&amp;since=2000-01-01"' in html
    assert "共 0 条" in _html(admin, "/audit?until=2000-01-01")


def test_audit_page_refuses_a_bad_date(as_user):
    assert as_user("admin").get("/audit?since=yesterday").status_code == 400


def test_audit_export_downloads_and_is_audited(as_user, session):
    admin = as_user("admin")
    admin.get(f"/households/{IN_SCOPE[0]}")
    response = admin.get("/audit/export.csv?action=read_sensitive")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].endswith("filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == "admin"
    xlsx = admin.get("/audit/export.xlsx")
    assert xlsx.data[:2] == b"PK"
    assert admin.get("/audit/export.pdf").status_code == 404
    actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["read_sensitive", "export_audit", "export_audit"]


def test_maps_of_pages_follow_the_data(as_user, session):
    """Rendered maps are kept per data version: a household moved away leaves the village map
    at the next view, a redrawn township boundary shows on the overview."""
    leader = as_user("leader")
    assert OUT_OF_SCOPE[1] in _html(leader, "/villages/441500100202")
    moved = session.scalars(select(Household).where(Household.code == OUT_OF_SCOPE[1])).one()
    moved.village_id = session.scalar(select(Village.id).where(Village.code == "441500100201"))
    session.commit()
    assert OUT_OF_SCOPE[1] not in _html(leader, "/villages/441500100202")
    assert OUT_OF_SCOPE[1] in _html(leader, "/villages/441500100201")
    assert "23.987654" not in _html(leader, f"/townships/{TOWNSHIP_CODE}")
    session.scalars(select(Township).where(Township.code == TOWNSHIP_CODE)).one().geom = _box(
        115.6, 23.8, 115.8, 23.987654
    )
    session.commit()
    assert "23.987654" in _html(leader, f"/townships/{TOWNSHIP_CODE}")
