"""The postings layer (issue 13): a roster of 包村/挂点/第一书记/工作队 postings imports like any layer,
its codes made from the rows when the file has none; a re-import with --update duplicates nothing;
bad rows are reported by row and field and nothing is written."""

from datetime import date

import pytest
from sqlalchemy import func, select

from geodata.errors import ImportRejected
from gridmgmt.db.models import AuditLog, CadreVillage
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.imports import import_layer
from gridmgmt.services.postings.overview import postings_overview
from tests.integration.visit_fixtures import TOWN, build

IMPORTER = Actor("importer")
VILLAGE = "441624100201"
HEADER = "干部编号,村编码,类型,开始日期,结束日期\n"


@pytest.fixture
def town(session):
    return build(session)  # C0 township cadre, posted 包村 since 2020; C2 secretary; C3 first secretary


def _csv(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "postings.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(CadreVillage))


def test_a_roster_without_codes_imports_and_reimports_without_duplicates(session, town, tmp_path):
    path = _csv(tmp_path, f"C2,{VILLAGE},挂点,2025-01-01,\nC3,{VILLAGE},第一书记,2025年3月1日,2027-02-28\n")
    result = import_layer(session, "postings", path, actor=IMPORTER, township=TOWN)
    assert (result.inserted, result.updated) == (2, 0)
    codes = sorted(session.scalars(select(CadreVillage.code).where(CadreVillage.code.isnot(None))))
    assert codes == [f"C2-{VILLAGE}-gua_dian-2025-01-01", f"C3-{VILLAGE}-first_secretary-2025-03-01"]
    (village,) = postings_overview(session, TOWN, date(2025, 5, 15)).villages
    assert {k: [p.cadre_code for p in v] for k, v in village.postings.items()} == {
        "bao_cun": ["C0"],
        "gua_dian": ["C2"],
        "first_secretary": ["C3"],
    }
    again = import_layer(session, "postings", path, actor=IMPORTER, township=TOWN, update=True)
    assert (again.inserted, again.updated, _count(session)) == (0, 2, 3)
    audit = session.scalars(select(AuditLog.detail).where(AuditLog.action == "import_layer")).all()
    assert [(d["layer"], d["inserted"], d["updated"]) for d in audit] == [("postings", 2, 0), ("postings", 0, 2)]


def test_ending_a_posting_by_reimport_changes_who_covers_the_village(session, town, tmp_path):
    import_layer(
        session, "postings", _csv(tmp_path, f"C3,{VILLAGE},第一书记,2025-03-01,\n"), actor=IMPORTER, township=TOWN
    )
    ended = _csv(tmp_path, f"C3,{VILLAGE},第一书记,2025-03-01,2025-05-14\n")
    import_layer(session, "postings", ended, actor=IMPORTER, township=TOWN, update=True)
    (village,) = postings_overview(session, TOWN, date(2025, 5, 15)).villages
    assert "first_secretary" not in village.postings


def test_bad_rows_are_reported_and_nothing_is_written(session, town, tmp_path):
    path = _csv(
        tmp_path,
        f"C9,{VILLAGE},包村,2025-01-01,\n"
        f"C2,441624100299,包村,2025-01-01,\n"
        f"C2,{VILLAGE},书记,2025-01-01,\n"
        f"C2,{VILLAGE},包村,2025-06-01,2025-05-01\n",
    )
    with pytest.raises(ImportRejected) as info:
        import_layer(session, "postings", path, actor=IMPORTER, township=TOWN)
    found = sorted((e.row, e.field) for e in info.value.errors)
    assert found == [(1, "干部编号"), (2, "村编码"), (3, "类型"), (4, "结束日期")]
    messages = " ".join(str(e) for e in info.value.errors)
    assert "干部编码“C9”在乡镇“测试镇”中不存在" in messages and "早于开始日期" in messages
    assert _count(session) == 1 and session.scalars(select(AuditLog)).all() == []


def test_a_code_column_is_kept_when_given(session, town, tmp_path):
    path = _csv(tmp_path, f"BC-7,C2,{VILLAGE},包村,,\n", header="编号," + HEADER)
    import_layer(session, "postings", path, actor=IMPORTER, township=TOWN)
    assert session.scalar(select(CadreVillage.assignment).where(CadreVillage.code == "BC-7")) == "bao_cun"
