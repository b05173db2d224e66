"""Files uploaded to the 数据导入 page, kept between the dry run and the confirm: one private folder per
upload, named by a random token, open to its uploader only, emptied once imported and removed after a day."""

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage

from gridmgmt.domain.errors import NotFound, UserError
from gridmgmt.private_files import private_dir, write_private

# The file kinds the page takes (a Shapefile comes zipped with its .dbf, .shx, .prj).
SUFFIXES = (".xlsx", ".csv", ".geojson", ".json", ".gpkg", ".zip")
KEEP_S = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


class UploadRefused(UserError):
    """The uploaded file was refused before reading it (no file, empty, a kind the import does not read)."""


@dataclass(frozen=True)
class Upload:
    """One upload's folder and what the dry run was asked (META: user, file name, layer, options)."""

    token: str
    folder: Path
    meta: dict

    @property
    def data(self) -> Path:
        """The uploaded file, under a name of ours (the client's name is only shown)."""
        return self.folder / f"data{self.meta['suffix']}"

    @property
    def errors(self) -> Path:
        """The error sheet of the last dry run or import."""
        return self.folder / "errors.xlsx"

    @property
    def status(self) -> Path:
        """The import's progress, read by the page as it polls."""
        return self.folder / "status.json"


def save_upload(root: Path, storage: FileStorage | None, user_id: int, options: dict) -> Upload:
    """Store STORAGE in a new private folder under ROOT; UploadRefused for a missing, empty or unknown file."""
    name = Path(storage.filename or "").name if storage else ""
    if not name:
        raise UploadRefused("请选择要导入的文件")
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused(
            f"不支持的文件类型“{suffix or name}”：请上传 Excel（.xlsx）、CSV、GeoJSON、GeoPackage 或 zip 压缩的 Shapefile"
        )
    sweep(root)
    token = secrets.token_urlsafe(24)
    folder = private_dir(private_dir(root) / token)
    upload = Upload(token, folder, {"user_id": user_id, "file_name": name, "suffix": suffix, **options})
    fd = os.open(upload.data, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        storage.save(out)
    if upload.data.stat().st_size == 0:
        shutil.rmtree(folder)
        raise UploadRefused(f"文件“{name}”是空的")
    write_private(folder / "meta.json", json.dumps(upload.meta, ensure_ascii=False))
    return upload


def open_upload(root: Path, token: str, user_id: int) -> Upload:
    """The upload TOKEN of user USER_ID; NotFound when it is unknown, expired or someone else's."""
    folder = root / token
    meta_file = folder / "meta.json"
    if not TOKEN.fullmatch(token) or not meta_file.is_file():
        raise NotFound("没有这次上传的记录（可能已过期，请重新上传）")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta["user_id"] != user_id:
        raise NotFound("没有这次上传的记录（可能已过期，请重新上传）")
    return Upload(token, folder, meta)


def write_status(upload: Upload, **status) -> None:
    """Replace the upload's status in one step, so a poll never reads half of it."""
    part = upload.folder / "status.part"
    write_private(part, json.dumps(status, ensure_ascii=False))
    os.replace(part, upload.status)


def read_status(upload: Upload) -> dict:
    """The upload's status; `checked` before any import started."""
    if not upload.status.exists():
        return {"state": "checked"}
    return json.loads(upload.status.read_text(encoding="utf-8"))


def discard_data(upload: Upload) -> None:
    """Remove the uploaded file (kept: the status and the error sheet, until the folder is swept)."""
    upload.data.unlink(missing_ok=True)


def sweep(root: Path, keep_s: float = KEEP_S) -> None:
    """Remove upload folders older than KEEP_S seconds."""
    if not root.exists():
        return
    cutoff = time.time() - keep_s
    for folder in root.iterdir():
        if folder.is_dir() and TOKEN.fullmatch(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
