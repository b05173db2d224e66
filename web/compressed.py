"""Scripts and styles sent gzip-compressed, compressed once per file version: a proxy in front has
nothing left to compress, and phones get the smallest files (level 9, paid once per process)."""

import gzip
from pathlib import Path

from flask import Response, request, send_from_directory
from werkzeug.security import safe_join

from gridmgmt.db.kept import Kept

COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt"})
# About the size of the packages' scripts and styles the pages use, per process.
_GZIPPED = Kept(16_000_000, sizeof=len)


def send_compressed(root: Path, filename: str, max_age: int) -> Response:
    """FILENAME under ROOT (404 outside it), gzip-compressed when the client takes gzip."""
    response = send_from_directory(root, filename, max_age=max_age)
    path = Path(safe_join(str(root), filename))  # send_from_directory has checked it
    if response.status_code != 200 or path.suffix not in COMPRESSIBLE or "gzip" not in request.accept_encodings:
        return response
    stat = path.stat()
    body = _GZIPPED.get(
        (str(path), stat.st_mtime_ns, stat.st_size), lambda: gzip.compress(path.read_bytes(), 9, mtime=0)
    )
    response.close()  # the file send_from_directory opened: its bytes go compressed instead
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, _ = response.get_etag()
    if etag:  # the same content in another encoding: a weak validator
        response.set_etag(etag, weak=True)
    return response
