"""Files only their owner may read: 0600 files in 0700 folders, for exports and backups of personal data."""

import os
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# A Shapefile is several files beside the .shp; each holds part of the rows.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix")


class NotPrivate(PermissionError):
    """A folder that other accounts may read was given for private files; the message is Chinese."""


def private_dir(path: Path) -> Path:
    """PATH as a folder only its owner may enter: created 0700; an existing one must not be open to others."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        # Never chmod a folder we did not make: it may be /tmp or a home directory.
        raise NotPrivate(f"目录 {path} 其他用户可以访问（权限 {mode:04o}）：请先运行 chmod 700 {path}，或换一个目录")
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write DATA (text as UTF-8) to PATH with mode 0600, also when PATH already exists."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        os.fchmod(fh.fileno(), FILE_MODE)  # an existing file keeps its old mode through O_TRUNC
        fh.write(raw)
    return path


def output_files(path: Path) -> list[Path]:
    """PATH and, for a Shapefile, its sibling parts: every file an export to PATH writes."""
    path = Path(path)
    if path.suffix.lower() != ".shp":
        return [path]
    return [path.with_suffix(suffix) for suffix in SHAPEFILE_PARTS]


@contextmanager
def private_output(path: Path):
    """Around a library's write to PATH: new files are born 0600, existing ones are made 0600 first and after.

    Changes the process umask while it runs: for the command line, not for a threaded server.
    """
    for part in output_files(path):
        if part.exists():
            part.chmod(FILE_MODE)
    old = os.umask(0o077)
    try:
        yield Path(path)
    finally:
        os.umask(old)
        for part in output_files(path):
            if part.exists():
                part.chmod(FILE_MODE)
