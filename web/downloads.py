"""Files handed to the browser under their Chinese names."""

from urllib.parse import quote

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(data: bytes, mimetype: str, name: str) -> Response:
    """DATA as a download called NAME: RFC 5987 filename* keeps the Chinese, filename an ASCII fallback."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})
