"""Reading files safely: encodings, truncation, archives, size limits."""

import zipfile

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geodata.errors import ImportRejected
from geodata.reading import read_source

NAMES = ["东岭村", "河口村"]


def _gbk_shapefile(folder, keep_cpg=False):
    frame = gpd.GeoDataFrame({"名称": NAMES}, geometry=[shapely.Point(115.7, 23.9)] * 2, crs=4326)
    path = folder / "村.shp"
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    if not keep_cpg:
        path.with_suffix(".cpg").unlink()
    return path


def _rejection(path, **kwargs) -> str:
    with pytest.raises(ImportRejected) as info:
        read_source(path, **kwargs)
    return " ".join(str(e) for e in info.value.errors)


def test_gbk_shapefile_without_cpg_is_detected(tmp_path):
    source = read_source(_gbk_shapefile(tmp_path))
    assert source.frame["名称"].tolist() == NAMES


def test_cpg_is_honoured(tmp_path):
    assert read_source(_gbk_shapefile(tmp_path, keep_cpg=True)).frame["名称"].tolist() == NAMES


def test_encoding_option_overrides_detection(tmp_path):
    path = _gbk_shapefile(tmp_path)
    assert read_source(path, encoding="big5").frame.columns[0] != "名称"
    assert "无法识别的文字编码" in _rejection(path, encoding="klingon")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_with_or_without_bom(tmp_path, encoding):
    path = tmp_path / "户.csv"
    path.write_bytes("户主,经度,纬度\n陈国强,115.7,23.9\n".encode(encoding))
    source = read_source(path)
    assert source.frame.to_dict("records") == [{"户主": "陈国强", "经度": "115.7", "纬度": "23.9"}]
    assert source.geoms is None


def test_zipped_shapefile_is_read(tmp_path):
    shp = _gbk_shapefile(tmp_path)
    archive = tmp_path / "村.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp.parent.glob("村.*"):
            if part != archive:
                zf.write(part, f"data/{part.name}")
    assert read_source(archive).frame["名称"].tolist() == NAMES


@pytest.mark.parametrize("entry", ["../evil.shp", "/tmp/evil.shp", "a/../../evil.shp", "..\\evil.shp"])
def test_archive_entries_escaping_the_folder_are_refused(tmp_path, entry):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(entry, b"x")
    message = _rejection(archive)
    assert "目标目录之外" in message and entry in message
    assert not (tmp_path.parent / "evil.shp").exists()


def test_empty_truncated_and_oversized_files_are_refused(tmp_path):
    empty = tmp_path / "empty.geojson"
    empty.touch()
    assert "文件为空" in _rejection(empty)
    full = tmp_path / "full.geojson"
    gpd.GeoDataFrame({"name": NAMES}, geometry=[shapely.Point(115.7, 23.9)] * 2, crs=4326).to_file(full)
    cut = tmp_path / "cut.geojson"
    cut.write_bytes(full.read_bytes()[:200])
    assert "无法读取文件" in _rejection(cut)
    shp = _gbk_shapefile(tmp_path)
    shp.write_bytes(shp.read_bytes()[:-10])
    assert "被截断" in _rejection(shp)
    big = tmp_path / "big.csv"
    big.write_bytes(b"code\n" + b"1\n" * 600_000)
    assert "文件过大" in _rejection(big, max_mb=1)


def test_file_without_rows_is_refused(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text("code,name\n", encoding="utf-8")
    assert "没有任何记录" in _rejection(path)
