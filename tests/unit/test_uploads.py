"""The 数据导入 page's upload folders: private, their uploader's only, refused at the edge, swept after a day."""

import os
import time
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from gridmgmt.domain.errors import NotFound
from web.uploads import KEEP_S, UploadRefused, open_upload, read_status, save_upload, sweep, write_status

OPTIONS = {"layer": "households", "township": None, "crs": None, "update": False, "fix_geometry": False}


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(BytesIO(data), filename=name)


def test_an_upload_is_private_and_its_uploaders_only(tmp_path):
    upload = save_upload(tmp_path, _file(b"a,b\n1,2\n", "../../台账.CSV"), 7, OPTIONS)
    assert upload.meta["file_name"] == "台账.CSV" and upload.data.name == "data.csv"
    assert upload.data.read_bytes() == b"a,b\n1,2\n"
    assert oct(upload.folder.stat().st_mode & 0o777) == "0o700" and oct(upload.data.stat().st_mode & 0o777) == "0o600"
    assert open_upload(tmp_path, upload.token, 7).meta == upload.meta
    for token, user in ((upload.token, 8), ("../etc", 7), ("x" * 30, 7)):
        with pytest.raises(NotFound):
            open_upload(tmp_path, token, user)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [(b"x", "", "请选择要导入的文件"), (b"MZ", "a.exe", "不支持的文件类型“.exe”"), (b"", "a.csv", "是空的")],
)
def test_a_file_is_refused_before_it_is_read(tmp_path, data, name, reason):
    with pytest.raises(UploadRefused, match=reason):
        save_upload(tmp_path, _file(data, name), 1, OPTIONS)
    assert not list(tmp_path.rglob("data.*"))  # nothing kept


def test_the_status_is_replaced_whole_and_old_uploads_are_swept(tmp_path):
    old = save_upload(tmp_path, _file(b"1", "a.csv"), 1, OPTIONS)
    new = save_upload(tmp_path, _file(b"1", "b.csv"), 1, OPTIONS)
    assert read_status(new) == {"state": "checked"}
    write_status(new, state="running", done=10, total=20)
    assert read_status(new) == {"state": "running", "done": 10, "total": 20}
    stale = time.time() - KEEP_S - 60
    os.utime(old.folder, (stale, stale))
    sweep(tmp_path)
    assert not old.folder.exists() and new.folder.exists()
