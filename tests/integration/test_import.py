"""Importing the sample township, and every malformed input refused with nothing written."""

import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy import text

import geodata
from geodata.chinacoords import wgs84_to_gcj02
from geodata.errors import ImportRejected
from gridmgmt.cli import COMMANDS, main
from gridmgmt.db.bulk import indexes_rebuilt
from gridmgmt.db.models import Base
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.imports import import_layer, writing
from tests.tables import fingerprints

SAMPLES = Path(geodata.__file__).parent / "samples"
TOWNSHIP = "449900101000"
HOUSEHOLD_HEADER = "户编码,户主,经度,纬度\n"
IMPORTER = Actor("importer")


def load(session, layer, path, **options):
    """Import PATH (a sample name or a path) into LAYER of the sample township."""
    options.setdefault("township", None if layer == "townships" else TOWNSHIP)
    options.setdefault("actor", IMPORTER)
    return import_layer(session, layer, SAMPLES / path, **options)


@pytest.fixture
def villages(session):
    """The sample township with its villages and village groups."""
    for layer, name in (
        ("townships", "township.geojson"),
        ("villages", "villages.geojson"),
        ("groups", "groups.geojson"),
    ):
        load(session, layer, name)
    return session


def rejected(session, layer, path, **options) -> str:
    """Import that must fail and leave the database unchanged; returns all error lines."""
    before = fingerprints(session)
    with pytest.raises(ImportRejected) as info:
        load(session, layer, path, **options)
    assert fingerprints(session) == before
    return "\n".join(map(str, info.value.errors))


def csv_file(tmp_path, body, header=HOUSEHOLD_HEADER, name="h.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_sample_township_loads_with_every_link(villages):
    for layer, name in (
        ("households", "households.csv"),
        ("roads", "roads.geojson"),
        ("party_orgs", "party_orgs.csv"),
        ("party_members", "party_members.csv"),
        ("economic_orgs", "economic_orgs.csv"),
        ("cadres", "cadres.csv"),
        ("postings", "postings.csv"),
    ):
        result = load(villages, layer, name)
        assert result.inserted > 0 and result.updated == 0
    q = lambda sql: villages.execute(text(sql)).all()  # noqa: E731
    assert q(
        "SELECT h.code, v.name, g.name FROM household h JOIN village v ON v.id = h.village_id "
        "LEFT JOIN village_group g ON g.id = h.group_id WHERE h.code LIKE '%-001' ORDER BY h.code"
    ) == [
        ("449900101001-001", "东岭村", "上屋组"),
        ("449900101002-001", "河口村", "河东组"),
        ("449900101003-001", "西坑村", None),
    ]
    assert q(
        "SELECT o.code, p.code FROM party_org o JOIN party_org p ON p.id = o.parent_id WHERE o.org_type = 'party_group'"
    ) == [("P449900101002-1", "P449900101002")]
    assert q(
        "SELECT m.status, h.head FROM party_member m JOIN household h ON h.id = m.household_id WHERE m.code = 'M0004'"
    ) == [("probationary", "李春梅")]
    assert q("SELECT ST_Equals(c.home, h.geom) FROM cadre c JOIN household h ON h.id = c.household_id") == [(True,)]
    assert q("SELECT v.name FROM economic_org e JOIN village v ON v.id = e.village_id WHERE e.above_scale") == [
        ("西坑村",)
    ]
    assert q("SELECT count(*) FROM road WHERE source IS NOT NULL") == [(3,)]
    assert q(
        "SELECT k.code, v.name, p.assignment FROM cadre_village p JOIN cadre k ON k.id = p.cadre_id "
        "JOIN village v ON v.id = p.village_id ORDER BY k.code"
    ) == [("C001", "东岭村", "gua_dian"), ("C002", "东岭村", "bao_cun"), ("C003", "河口村", "first_secretary")]


def test_geojson_in_english_and_csv_in_chinese_give_the_same_rows(villages):
    columns = "code, head, address, member_count, hardship, empty_nest_elderly, ST_AsText(geom)"
    load(villages, "households", "households.csv")
    from_csv = villages.execute(text(f"SELECT {columns} FROM household ORDER BY code")).all()
    villages.execute(text("DELETE FROM household"))
    load(villages, "households", "households.geojson")
    assert villages.execute(text(f"SELECT {columns} FROM household ORDER BY code")).all() == from_csv


def test_unknown_or_missing_township(villages):
    assert "乡镇编码“123”不存在" in rejected(villages, "households", "households.csv", township="123")
    with pytest.raises(ImportRejected, match="导入被拒绝") as info:
        import_layer(villages, "party_orgs", SAMPLES / "party_orgs.csv", actor=IMPORTER)
    assert "--township" in str(info.value.errors[0])


def test_located_layers_without_township_use_every_village(villages, tmp_path):
    """Without --township rows are located among all villages and take their village's township."""
    east = "POLYGON((115.74 23.88, 115.76 23.88, 115.76 23.92, 115.74 23.92, 115.74 23.88))"
    load(villages, "townships", csv_file(tmp_path, f'449900102000,东镇,"{east}"\n', "编码,名称,wkt\n", "t.csv"))
    load(
        villages,
        "villages",
        csv_file(tmp_path, f'449900102001,东村,"{east}"\n', "编码,名称,wkt\n", "v.csv"),
        township="449900102000",
    )
    households = csv_file(tmp_path, "h1,甲,115.69,23.90\nh2,乙,115.75,23.90\n")
    assert "第 2 条［几何］：位置 POINT(115.75 23.9) 不在乡镇“示例镇”的任何行政村内" in rejected(
        villages, "households", households
    )
    assert load(villages, "households", households, township=None).inserted == 2
    assert villages.execute(
        text(
            "SELECT h.code, v.name, g.name FROM household h JOIN village v ON v.id = h.village_id "
            "LEFT JOIN village_group g ON g.id = h.group_id ORDER BY h.code"
        )
    ).all() == [("h1", "东岭村", "上屋组"), ("h2", "东村", None)]
    orgs = csv_file(
        tmp_path,
        "E1,甲厂,企业,115.75,23.90\nE2,乙厂,企业,115.80,23.90\n",
        "信用代码,企业名称,类型,经度,纬度\n",
        "e.csv",
    )
    assert "第 2 条［几何］：位置 POINT(115.8 23.9) 不在任何行政村内" in rejected(
        villages, "economic_orgs", orgs, township=None
    )
    load(villages, "party_orgs", "party_orgs.csv")
    orgs = csv_file(
        tmp_path,
        "E1,甲厂,企业,P449900101E01,115.69,23.90\nE2,乙厂,企业,P449900101E01,115.75,23.90\n",
        "信用代码,企业名称,类型,党组织编码,经度,纬度\n",
        "e.csv",
    )
    assert "第 2 条［党组织编码］：党组织编码“P449900101E01”在所在乡镇中不存在" in rejected(
        villages, "economic_orgs", orgs, township=None
    )
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(",P449900101E01,115.75", ",,115.75"), encoding="utf-8")
    load(villages, "economic_orgs", orgs, township=None)
    assert villages.execute(
        text(
            "SELECT e.code, t.name, v.name, o.code FROM economic_org e JOIN township t ON t.id = e.township_id "
            "JOIN village v ON v.id = e.village_id LEFT JOIN party_org o ON o.id = e.party_org_id ORDER BY e.code"
        )
    ).all() == [("E1", "示例镇", "东岭村", "P449900101E01"), ("E2", "东镇", "东村", None)]


def test_missing_required_values_are_all_reported(villages, tmp_path):
    path = csv_file(tmp_path, "h1,,115.69,23.90\nh2,张三,,\nh3,,115.69,23.90\n")
    message = rejected(villages, "households", path)
    assert "第 1 条［户主］：缺少必填项“户主”" in message
    assert "第 2 条［几何］：缺少几何或经纬度" in message
    assert "第 3 条［户主］" in message


def test_text_longer_than_its_column(villages, tmp_path):
    path = csv_file(tmp_path, f"h1,{'长' * 33},115.69,23.90\n{'h' * 25},乙,115.69,23.90\n")
    message = rejected(villages, "households", path)
    assert "第 1 条［户主］：超过 32 个字符" in message and "第 2 条［户编码］：超过 24 个字符" in message


def test_missing_required_column(villages, tmp_path):
    path = csv_file(tmp_path, "h1,115.69,23.90\n", header="户编码,经度,纬度\n")
    assert "缺少必填列“户主”" in rejected(villages, "households", path)


def test_duplicate_codes_in_the_file(villages, tmp_path):
    path = csv_file(tmp_path, "h1,甲,115.69,23.90\nh1,乙,115.69,23.91\n")
    assert "第 2 条［户编码］：编码“h1”在文件中重复（第 1 条已使用）" in rejected(villages, "households", path)


def test_existing_codes_are_refused_unless_update(villages, tmp_path):
    load(villages, "households", "households.csv")
    message = rejected(villages, "households", "households.csv")
    assert message.count("已存在于数据库") == 10 and "--update" in message
    # An update file without the sensitive flags must leave them as they are.
    path = csv_file(tmp_path, "449900101001-001,陈国强,115.6852,23.8953\n")
    result = load(villages, "households", path, update=True)
    assert (result.inserted, result.updated) == (0, 1)
    row = villages.execute(
        text("SELECT hardship, member_count, version, ST_X(geom) FROM household WHERE code = '449900101001-001'")
    ).one()
    assert tuple(row) == (True, 4, 2, 115.6852)


def test_household_outside_every_village_of_the_township(villages, tmp_path):
    path = csv_file(tmp_path, "h1,甲,115.69,23.90\nh2,乙,115.75,23.90\n")
    assert "第 2 条［几何］：位置 POINT(115.75 23.9) 不在乡镇“示例镇”的任何行政村内" in rejected(
        villages, "households", path
    )


def test_outside_china_and_swapped_coordinates(villages, tmp_path):
    path = csv_file(tmp_path, "h1,甲,2.35,48.85\nh2,乙,23.9,115.69\n")
    message = rejected(villages, "households", path)
    assert "第 1 条［几何］：坐标 (2.35, 48.85) 不在中国境内" in message
    assert "第 2 条［几何］：经纬度可能写反了" in message


def _bowtie_villages(tmp_path):
    bowtie = shapely.Polygon([(115.68, 23.88), (115.70, 23.92), (115.70, 23.88), (115.68, 23.92)])
    path = tmp_path / "v.geojson"
    gpd.GeoDataFrame({"code": ["449900101009"], "name": ["蝴蝶村"]}, geometry=[bowtie], crs=4326).to_file(path)
    return path


def test_invalid_geometry_is_refused_with_the_postgis_reason(villages, tmp_path):
    message = rejected(villages, "villages", _bowtie_villages(tmp_path))
    assert "第 1 条［几何］：几何无效：Self-intersection" in message and "--fix-geometry" in message


def test_invalid_geometry_is_repaired_on_request(villages, tmp_path):
    load(villages, "villages", _bowtie_villages(tmp_path), fix_geometry=True)
    valid, parts = villages.execute(
        text("SELECT ST_IsValid(geom), ST_NumGeometries(geom) FROM village WHERE code = '449900101009'")
    ).one()
    assert valid and parts == 2


def test_unknown_crs(villages):
    assert "无法识别的坐标系“EPSG:999999”" in rejected(villages, "households", "households.geojson", crs="EPSG:999999")


def test_projected_geopackage_is_reprojected(villages, tmp_path):
    frame = gpd.read_file(SAMPLES / "households.geojson")
    path = tmp_path / "h.gpkg"
    frame.to_crs("EPSG:4547").to_file(path)
    load(villages, "households", path)
    x, y = villages.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM household WHERE code = '449900101001-001'")).one()
    assert (x, y) == pytest.approx((115.6851, 23.8952), abs=1e-8)


def test_declared_gcj02_is_converted_to_wgs84(villages, tmp_path):
    wgs = np.array([[115.6851, 23.8952]])
    ((lon, lat),) = wgs84_to_gcj02(wgs).tolist()
    load(villages, "households", csv_file(tmp_path, f"h1,甲,{lon!r},{lat!r}\n"), crs="gcj02")
    x, y = villages.execute(text("SELECT ST_X(geom), ST_Y(geom) FROM household")).one()
    assert (x, y) == pytest.approx(tuple(wgs[0]), abs=1e-8)


def test_gbk_shapefile_in_a_zip_keeps_chinese_names(villages, tmp_path):
    frame = gpd.read_file(SAMPLES / "households.geojson")[["code", "head", "geometry"]]
    frame.columns = ["户编码", "户主", "geometry"]
    shp = tmp_path / "农户.shp"
    pyogrio.write_dataframe(frame, shp, encoding="GBK")
    shp.with_suffix(".cpg").unlink()
    archive = tmp_path / "农户.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in tmp_path.glob("农户.*"):
            if part != archive:
                zf.write(part, part.name)
    load(villages, "households", archive)
    heads = villages.execute(text("SELECT head FROM household ORDER BY code")).scalars().all()
    assert heads == frame["户主"].tolist()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "文件为空"),
        ("cut.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Fea', "无法读取文件"),
        ("huge.csv", HOUSEHOLD_HEADER.encode() + b"h,x,115.69,23.9\n" * 80_000, "文件过大"),
    ],
)
def test_empty_truncated_and_huge_files(villages, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in rejected(villages, "households", path, max_mb=1)


def test_archive_entries_escaping_the_folder(villages, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.csv", HOUSEHOLD_HEADER)
        zf.writestr("/etc/evil.csv", HOUSEHOLD_HEADER)
    message = rejected(villages, "households", archive)
    assert message.count("目标目录之外") == 2
    assert not (tmp_path.parent / "evil.csv").exists()


def test_every_error_of_a_file_is_reported(villages, tmp_path):
    path = csv_file(tmp_path, "h1,甲,115.69,23.90\nh1,,abc,23.9\nh3,丙,115.75,23.90\nh4,丁,23.9,115.7\n")
    message = rejected(villages, "households", path)
    # Row 2: blank head, bad longitude, so no point, and a repeated code.
    assert [line.split("［")[0] for line in message.splitlines()] == ["第 2 条"] * 4 + ["第 3 条", "第 4 条"]


def test_unknown_references_are_errors(villages, tmp_path):
    load(villages, "party_orgs", "party_orgs.csv")
    path = csv_file(tmp_path, "M9,甲,H404,P404\n", header="党员编号,姓名,户编码,党组织编码\n")
    message = rejected(villages, "party_members", path)
    assert "农户编码“H404”在乡镇“示例镇”中不存在" in message
    assert "党组织编码“P404”在乡镇“示例镇”中不存在" in message
    path = csv_file(tmp_path, "C9,甲,网格员,,\n", header="干部编号,姓名,职务,经度,纬度\n")
    assert "需要住址经纬度或户编码" in rejected(villages, "cadres", path)
    path = csv_file(
        tmp_path, "P9,乙,党支部,P8\nP8,丙,党支部,P404\n", header="组织编码,组织名称,组织类型,上级组织编码\n"
    )
    message = rejected(villages, "party_orgs", path)
    assert "第 2 条［上级组织编码］：上级组织编码“P404”不存在" in message and "第 1 条" not in message


def test_a_large_file_loads_quickly(villages, tmp_path):
    rng = np.random.default_rng(1)
    n = 20_000
    frame = pd.DataFrame(
        {
            "code": [f"h{i}" for i in range(n)],
            "head": "某",
            "lon": rng.uniform(115.681, 115.739, n),
            "lat": rng.uniform(23.881, 23.919, n),
        }
    )
    frame.to_csv(tmp_path / "big.csv", index=False)
    assert load(villages, "households", tmp_path / "big.csv").inserted == n
    assert villages.execute(text("SELECT count(*) FROM household WHERE group_id IS NULL")).scalar() > 0


def test_progress_sees_every_row_as_it_is_written(villages):
    seen = []

    def progress(rows, total):
        seen.append(total)
        for row in rows:
            seen.append(row[0])
            yield row

    assert load(villages, "households", "households.csv", progress=progress).inserted == 10
    # A clean households file is copied straight into the table: its rows start with their code.
    codes = villages.execute(text("SELECT code FROM household ORDER BY id")).scalars().all()
    assert seen == [10, *codes]


def household_schema(session) -> list[str]:
    """The household table's index and constraint definitions."""
    return (
        session.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'household' UNION ALL "
                "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'household'::regclass ORDER BY 1"
            )
        )
        .scalars()
        .all()
    )


@pytest.fixture
def bulk(monkeypatch):
    """Any file with at least as many rows as the table counts as large; returns the rebuilds done."""
    calls = []

    def spy(session, table, unique=True):
        calls.append((table, unique))
        return indexes_rebuilt(session, table, unique)

    monkeypatch.setattr(writing, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(writing, "indexes_rebuilt", spy)
    return calls


def test_a_large_import_rebuilds_every_index_and_constraint(villages, bulk, tmp_path):
    before = household_schema(villages)
    # Indexes: primary key, UNIQUE code, GiST, 3 B-trees; constraints: those two, 3 foreign keys, ST_IsValid.
    assert len(before) == 12
    assert load(villages, "households", "households.csv").inserted == 10
    assert household_schema(villages) == before
    assert (
        villages.execute(
            text(
                "SELECT count(*) FROM household h JOIN village v ON v.id = h.village_id "
                "JOIN village_group g ON g.id = h.group_id"
            )
        ).scalar()
        == 8
    )  # 西坑村 has no groups
    # --update keeps the UNIQUE constraint that ON CONFLICT needs.
    assert load(villages, "households", "households.geojson", update=True).updated == 10
    assert household_schema(villages) == before
    assert bulk == [("household", True), ("household", False)]
    # Fewer rows than the table holds: the indexes are kept and updated row by row.
    assert load(villages, "households", csv_file(tmp_path, "n1,甲,115.69,23.90\n")).inserted == 1
    assert len(bulk) == 2


def test_a_large_import_refused_by_the_database_changes_nothing(villages, bulk, tmp_path):
    """A row only the database refuses (here a trigger) rolls back the insert and the index rebuild."""
    load(villages, "households", "households.csv")
    villages.execute(
        text("""
        CREATE FUNCTION refuse_wang() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.head = '王' THEN RAISE EXCEPTION 'no 王'; END IF; RETURN NEW; END $$""")
    )
    villages.execute(
        text("CREATE TRIGGER refuse_wang BEFORE INSERT ON household FOR EACH ROW EXECUTE FUNCTION refuse_wang()")
    )
    villages.commit()
    try:
        schema = household_schema(villages)
        rows = "".join(f"n{i},{'王' if i == 7 else '甲'},115.69,23.90\n" for i in range(20))
        # The message names the refusal, not the row (COPY's CONTEXT would quote it, flags and all).
        assert rejected(villages, "households", csv_file(tmp_path, rows)) == "文件：数据库拒绝写入：no 王"
        assert household_schema(villages) == schema and len(bulk) == 2
    finally:
        villages.execute(text("DROP FUNCTION refuse_wang() CASCADE"))
        villages.commit()


def test_the_import_command_starts_without_the_other_commands_libraries():
    """Subcommands load on use: `gridmgmt import` never pays for matplotlib, scipy, ortools or the models."""
    probe = (
        "import sys; from gridmgmt.cli import main\n"
        "try: main(['import', '--help'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('matplotlib', 'scipy', 'ortools', 'folium',"
        " 'gridmgmt.db.models') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip().splitlines()[-1] == "[]"
    listing = CliRunner().invoke(main, ["--help"])
    assert listing.exit_code == 0 and all(name in listing.output for name in COMMANDS)
