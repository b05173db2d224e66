"""Open a GIS file (GeoJSON, GeoPackage, Shapefile loose or zipped, CSV, Excel .xlsx) into memory, safely."""

import codecs
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely

from geodata.errors import ImportRejected, RowError
from geodata.geometry import plain_points
from gridmgmt.domain.limits import DEFAULT_MAX_MB

DATA_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json", ".csv", ".xlsx"}
FILE_KINDS = "GeoJSON、GeoPackage、Shapefile（zip）、CSV 或 Excel（.xlsx）"
# Files read in Arrow batches when streamed (open_batches); the others are read whole.
STREAMED_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json"}
# Rows per batch of a streamed file: small enough to overlap reading and writing, large enough to amortise.
BATCH_ROWS = 25_000


@dataclass
class Source:
    """What a file holds: attribute columns, geometries (or None) and the declared CRS. A batch whose
    geometries are all plain 2D points has them as POINTS, (n, 2) coordinates (NaN: empty), and GEOMS None."""

    frame: pd.DataFrame
    geoms: np.ndarray | None
    crs: str | None
    points: np.ndarray | None = None

    def geometries(self) -> np.ndarray | None:
        """GEOMS, or POINTS made into shapely points (an empty one for NaN)."""
        if self.points is None:
            return self.geoms
        geoms = shapely.points(self.points)
        geoms[np.isnan(self.points[:, 0])] = shapely.Point()
        return geoms


def detect_encoding(data: bytes) -> str:
    """UTF-8 when DATA decodes strictly as UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF-8"


def dbf_text_bytes(dbf: Path) -> bytes:
    """The field names and record bytes of a .dbf: everything but the binary header numbers."""
    data = dbf.read_bytes()
    header_len = int.from_bytes(data[8:10], "little")
    names = b"".join(data[i : i + 11].rstrip(b"\0") for i in range(32, header_len - 32, 32))
    return names + data[header_len:]


def _encoding_for(path: Path, encoding: str | None) -> str | None:
    """The text encoding to force on PATH, or None to let GDAL decide (.cpg, UTF-8 formats)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportRejected.one(
                f"无法识别的文字编码“{encoding}”（例如 GBK、GB18030、UTF-8）", "encoding"
            ) from None
        return encoding
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return detect_encoding(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    if suffix == ".shp" and not path.with_suffix(".cpg").exists():
        dbf = path.with_suffix(".dbf")
        return detect_encoding(dbf_text_bytes(dbf)) if dbf.exists() else None
    return None


def _arrow_reads(encoding: str | None) -> bool:
    """Read through Arrow (several times faster) unless the text must be decoded from a non-UTF-8 encoding."""
    return encoding is None or codecs.lookup(encoding).name == "utf-8"


def _escapes(name: str, target: Path) -> bool:
    """True when archive entry NAME would land outside TARGET (zip-slip)."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in PurePosixPath(posix).parts:
        return True
    return not (target / posix).resolve().is_relative_to(target.resolve())


def extract_zip(archive: Path, target: Path, max_bytes: int) -> Path:
    """Extract ARCHIVE into TARGET after checking every entry; returns its one data file."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            bad = [i.filename for i in infos if _escapes(i.filename, target)]
            if bad:
                raise ImportRejected(
                    [RowError(None, name, "压缩包条目试图写到目标目录之外，已拒绝整个压缩包") for name in bad]
                )
            if sum(i.file_size for i in infos) > max_bytes:
                raise ImportRejected.one(f"压缩包解压后超过上限 {max_bytes // 2**20} MB")
            zf.extractall(target)
    except zipfile.BadZipFile as exc:
        raise ImportRejected.one(f"压缩包已损坏或不是 zip 文件：{exc}") from exc
    found = sorted(p for p in target.rglob("*") if p.suffix.lower() in DATA_SUFFIXES and "__MACOSX" not in p.parts)
    if len(found) != 1:
        listed = "、".join(p.name for p in found) or "无"
        raise ImportRejected.one(f"压缩包中应恰有一个数据文件（.shp/.gpkg/.geojson/.csv/.xlsx），实际：{listed}")
    return found[0]


def check_shp_length(shp: Path) -> None:
    """Refuse a .shp shorter or longer than its header says (a truncated copy)."""
    with shp.open("rb") as f:
        header = f.read(28)
    declared = int.from_bytes(header[24:28], "big") * 2 if len(header) == 28 else -1
    if declared != shp.stat().st_size:
        raise ImportRejected.one(f"Shapefile 已损坏或被截断：头部记录 {declared} 字节，实际 {shp.stat().st_size} 字节")


def read_workbook(path: Path) -> pd.DataFrame:
    """The first sheet of an .xlsx workbook (a 台账 or a filled template): headers in row 1, blank rows dropped."""
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds; all mean "cannot read"
        raise ImportRejected.one(f"无法读取 Excel 文件（可能已损坏，或不是 .xlsx 格式）：{exc}") from exc
    frame = frame.dropna(how="all").reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.drop(columns=[c for c in frame.columns if c.startswith("Unnamed:")])


def _read_dataset(path: Path, encoding: str | None) -> Source:
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise ImportRejected.one(f"不支持的文件类型“{path.suffix}”：请用 {FILE_KINDS}")
    if path.suffix.lower() == ".xlsx":
        frame = read_workbook(path)
        if frame.empty:
            raise ImportRejected.one("文件中没有任何记录")
        return Source(frame, None, None)
    if path.suffix.lower() == ".shp":
        check_shp_length(path)
    encoding = _encoding_for(path, encoding)
    try:
        source = _read_ogr(path, encoding)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "cannot read"
        raise _unreadable(exc) from exc
    if len(source.geoms) == 0 if source.geoms is not None else source.frame.empty:
        raise ImportRejected.one("文件中没有任何记录")
    return source


def _arrow_source(table, meta: dict, points: bool = False) -> Source:
    """A Source of an Arrow TABLE (or batch) pyogrio read: geometries straight from their WKB, or, with POINTS
    and when all are plain 2D points, their coordinates straight from the Arrow buffers."""
    name = meta["geometry_name"] or "wkb_geometry"
    if name not in table.column_names:
        return Source(table.to_pandas(), None, None)
    frame = table.drop_columns([name]).to_pandas()
    xy = plain_points(table.column(name)) if points else None
    if xy is not None:
        return Source(frame, None, meta["crs"], xy)
    return Source(frame, shapely.from_wkb(table.column(name).to_numpy(zero_copy_only=False)), meta["crs"])


def _read_ogr(path: Path, encoding: str | None) -> Source:
    """PATH's attribute columns and its geometries from their WKB, without building a GeoDataFrame (which
    copies every column and turns the CRS into a pyproj object only to be written out again)."""
    if _arrow_reads(encoding):
        return _arrow_source(*reversed(pyogrio.read_arrow(path, encoding=encoding)))
    meta, _, wkb, fields = pyogrio.raw.read(path, encoding=encoding)
    frame = pd.DataFrame(dict(zip(meta["fields"], fields)), columns=meta["fields"])
    if wkb is None:
        return Source(frame, None, None)
    return Source(frame, shapely.from_wkb(wkb), meta["crs"])


def _check_size(path: Path, max_mb: int) -> None:
    """Refuse a missing, empty or too large PATH."""
    if not path.is_file():
        raise ImportRejected.one(f"文件不存在：{path}")
    size = path.stat().st_size
    if size == 0:
        raise ImportRejected.one("文件为空")
    if size > max_mb * 2**20:
        raise ImportRejected.one(f"文件过大：{size / 2**20:.1f} MB，上限 {max_mb} MB（可用 --max-mb 调整）")


def read_source(path: Path, encoding: str | None = None, max_mb: int = DEFAULT_MAX_MB) -> Source:
    """Read PATH (a data file or a .zip holding one) after the size and archive checks."""
    path = Path(path)
    _check_size(path, max_mb)
    if path.suffix.lower() != ".zip":
        return _read_dataset(path, encoding)
    with tempfile.TemporaryDirectory(prefix="gridmgmt-import-") as tmp:
        return _read_dataset(extract_zip(path, Path(tmp), max_mb * 2**20), encoding)


@contextmanager
def open_batches(
    path: Path, encoding: str | None = None, max_mb: int = DEFAULT_MAX_MB, batch_rows: int = BATCH_ROWS
) -> Iterator[tuple[int, Iterator[Source]] | None]:
    """(rows, its Sources of BATCH_ROWS rows each, read as they are taken) of a GIS file Arrow reads (UTF-8
    text); None for other files, which read_source takes whole. ImportRejected when it cannot be read."""
    path = Path(path)
    _check_size(path, max_mb)
    if path.suffix.lower() not in STREAMED_SUFFIXES:
        yield None
        return
    if path.suffix.lower() == ".shp":
        check_shp_length(path)
    encoding = _encoding_for(path, encoding)
    if not _arrow_reads(encoding):
        yield None
        return
    try:
        rows = pyogrio.read_info(path, encoding=encoding, force_feature_count=True)["features"]
        opened = pyogrio.open_arrow(path, encoding=encoding, batch_size=batch_rows, use_pyarrow=True)
        meta, reader = opened.__enter__()
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "cannot read"
        raise _unreadable(exc) from exc
    try:
        yield rows, _batches(reader, meta)
    finally:
        opened.__exit__(None, None, None)


def _batches(reader, meta: dict) -> Iterator[Source]:
    """A Source per Arrow batch of READER, as it is read (plain points as coordinates)."""
    try:
        for batch in reader:
            yield _arrow_source(batch, meta, points=True)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds; all mean "cannot read"
        raise _unreadable(exc) from exc


def _unreadable(exc: Exception) -> ImportRejected:
    return ImportRejected.one(f"无法读取文件（可能已损坏或被截断）：{exc}")
