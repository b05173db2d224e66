"""A households GeoPackage streamed in batches: COPYed while read, and still all or nothing with every error
reported when only a later batch turns out not clean."""

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import text

from geodata.errors import ImportRejected
from gridmgmt.services.imports import direct, import_layer, streaming, writing
from tests.integration.test_import import IMPORTER, TOWNSHIP, household_schema, rejected, villages  # noqa: F401
from tests.integration.test_import_places import ROWS

# Three batches of 10, 10 and 5 rows.
BATCH = 10
N = 25
OUTSIDE = (115.75, 23.9)  # east of every village of the sample township


def gpkg(tmp_path, points, codes=None, name="h.gpkg"):
    """A households GeoPackage of POINTS (lon, lat) with codes h00… (or CODES) and a few flags."""
    codes = codes or [f"h{i:02d}" for i in range(len(points))]
    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "head": [f"户主{i}" for i in range(len(points))],
            "member_count": [i % 5 + 1 for i in range(len(points))],
            "hardship": [i % 4 == 0 for i in range(len(points))],
        },
        geometry=shapely.points(points),
        crs="EPSG:4326",
    )
    path = tmp_path / name
    frame.to_file(path, driver="GPKG")
    return path


def inside(i: int) -> tuple[float, float]:
    """Point I of a grid over the sample villages."""
    return 115.682 + (i % 25) * 0.0022, 23.882 + (i // 25) * 0.0035


@pytest.fixture
def batches_sent(monkeypatch):
    """How many batches each streamed load sent to COPY before it ended (written or rolled back)."""
    sent = []

    def spy(session, table_name, batches, shown=None):
        sent.append(0)

        def counted():
            for batch in batches:
                sent[-1] += 1
                yield batch

        return copy_batches(session, table_name, counted(), shown)

    copy_batches = streaming.copy_batches
    monkeypatch.setattr(streaming, "copy_batches", spy)
    return sent


def load(session, path, **options):
    """Import the households file PATH into the sample township in batches of BATCH rows."""
    return import_layer(session, "households", path, actor=IMPORTER, township=TOWNSHIP, batch_rows=BATCH, **options)


def test_a_clean_file_streamed_in_batches_equals_the_staged_import(villages, tmp_path, monkeypatch, batches_sent):
    path = gpkg(tmp_path, [inside(i) for i in range(N)])
    written = []
    for layers in (direct.DIRECT, set()):
        monkeypatch.setattr(direct, "DIRECT", layers)
        monkeypatch.setattr(streaming, "DIRECT", layers)
        villages.execute(text("SELECT setval(pg_get_serial_sequence('household', 'id'), 1000, false)"))
        assert load(villages, path).inserted == N
        written.append(villages.execute(text(ROWS)).all())
        villages.execute(text("DELETE FROM household"))
        villages.commit()
    assert batches_sent == [3]  # the first load streamed; the second, without the direct path, was staged
    assert written[0] == written[1]
    assert [row[1] for row in written[0]] == [f"h{i:02d}" for i in range(N)]


def test_a_point_outside_every_village_in_the_last_batch_writes_nothing(villages, tmp_path, batches_sent):
    path = gpkg(tmp_path, [inside(i) for i in range(N - 1)] + [OUTSIDE])
    message = rejected(villages, "households", path, batch_rows=BATCH)
    assert message == "第 25 条［几何］：位置 POINT(115.75 23.9) 不在乡镇“示例镇”的任何行政村内"
    assert batches_sent == [2]  # two batches were COPYed before the third turned out not clean


@pytest.mark.parametrize("bulk", [False, True], ids=["indexes kept", "indexes rebuilt"])
def test_a_code_repeated_across_batches_writes_nothing(villages, tmp_path, batches_sent, monkeypatch, bulk):
    monkeypatch.setattr(writing, "BULK_MIN_ROWS", 1 if bulk else 10_000)
    codes = [f"h{i:02d}" for i in range(N - 1)] + ["h03"]
    message = rejected(villages, "households", gpkg(tmp_path, [inside(i) for i in range(N)], codes), batch_rows=BATCH)
    assert message == "第 25 条［code］：编码“h03”在文件中重复（第 4 条已使用）"
    assert batches_sent == [3]  # every batch was clean alone: the UNIQUE index refused the repeat


@pytest.mark.parametrize("bulk", [False, True], ids=["indexes kept", "indexes rebuilt"])
def test_a_code_already_stored_refused_by_the_database_mid_stream_writes_nothing(
    villages, tmp_path, batches_sent, monkeypatch, bulk
):
    """Kept, the UNIQUE index refuses the last batch's row during COPY; rebuilt, re-adding the constraint does."""
    load(villages, gpkg(tmp_path, [inside(0)], ["h24"], name="first.gpkg"))
    villages.commit()
    monkeypatch.setattr(writing, "BULK_MIN_ROWS", 1 if bulk else 10_000)
    schema = household_schema(villages)
    message = rejected(villages, "households", gpkg(tmp_path, [inside(i) for i in range(N)]), batch_rows=BATCH)
    assert message == "第 25 条［code］：编码“h24”已存在于数据库（如需更新已有记录请加 --update）"
    assert batches_sent == [1, 3]  # the stored code was refused by the database at the last batch, or after it
    assert household_schema(villages) == schema


def test_a_file_gdal_cannot_read_is_refused_as_before(villages, tmp_path):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"SQLite format 3\0" + b"\0" * 4000)
    with pytest.raises(ImportRejected, match="导入被拒绝") as info:
        load(villages, path)
    assert "无法读取文件" in str(info.value.errors[0])


def test_progress_sees_every_code_as_its_batch_is_sent(villages, tmp_path, batches_sent):
    seen = []

    def progress(rows, total):
        seen.append(total)
        for row in rows:
            seen.append((row[0], batches_sent[-1]))
            yield row

    assert load(villages, gpkg(tmp_path, [inside(i) for i in range(N)]), progress=progress).inserted == N
    # Row i is shown once its batch (i // BATCH + 1) has been made and sent.
    assert seen == [N, *((f"h{i:02d}", i // BATCH + 1) for i in range(N))]
