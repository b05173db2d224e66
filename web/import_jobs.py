"""The confirmed import of an upload, run beside the request so the page can poll its progress.

The thread writes the upload's status file (web/uploads.py) as it goes: any worker process can answer a
poll. It calls the same service as `gridmgmt import`, in its own session; all or nothing as there.
"""

import logging
import threading

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from gridmgmt.db.session import make_session
from gridmgmt.domain.errors import UserError
from gridmgmt.reports.import_errors import import_errors_workbook
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.imports import import_layer
from web.uploads import Upload, discard_data, write_status

log = logging.getLogger("gridmgmt.imports")
# Rows sent between two status updates.
STATUS_EVERY = 2000
# Errors listed in the status; all of them are in the error sheet.
SHOWN_ERRORS = 200


def _progress(upload: Upload):
    """A progress wrapper for import_layer that writes how many rows are read and sent (staged, or streamed in)."""

    def wrap(rows, total: int):
        for done, row in enumerate(rows, start=1):
            if done % STATUS_EVERY == 0:
                write_status(upload, state="running", step="读取并写入", done=done, total=total)
            yield row
        write_status(upload, state="running", step="检查并写入", done=total, total=total)

    return wrap


def run_import(db_url: str, upload: Upload, actor: Actor, max_mb: int) -> None:
    """Import the upload as its dry run was asked, recording the outcome in its status; the file is removed after."""
    meta = upload.meta
    write_status(upload, state="running", step="读取文件", done=0, total=0)
    session = make_session(db_url)
    try:
        result = import_layer(
            session,
            meta["layer"],
            upload.data,
            actor=actor,
            township=meta["township"],
            crs=meta["crs"],
            update=meta["update"],
            fix_geometry=meta["fix_geometry"],
            max_mb=max_mb,
            progress=_progress(upload),
            file_name=meta["file_name"],
        )
    except ImportRejected as rejected:
        label = LAYERS[meta["layer"]].label
        upload.errors.write_bytes(import_errors_workbook(meta["file_name"], label, rejected.errors))
        shown = [str(e) for e in rejected.errors[:SHOWN_ERRORS]]
        write_status(upload, state="failed", message=str(rejected), errors=shown, error_count=len(rejected.errors))
    except UserError as refused:
        write_status(upload, state="failed", message=str(refused), errors=[], error_count=0)
    except Exception:
        log.exception("import of upload %s (%s) failed", upload.token, meta["file_name"])
        write_status(
            upload, state="failed", message="导入出错，未写入任何数据（详情见服务器日志）", errors=[], error_count=0
        )
    else:
        write_status(
            upload, state="done", inserted=result.inserted, updated=result.updated, road_vertices=result.road_vertices
        )
    finally:
        session.close()
        discard_data(upload)


def start_import(db_url: str, upload: Upload, actor: Actor, max_mb: int) -> threading.Thread:
    """Run the import of UPLOAD in a thread of its own; returns it (tests join it)."""
    write_status(upload, state="running", step="排队", done=0, total=0)
    thread = threading.Thread(target=run_import, args=(db_url, upload, actor, max_mb), daemon=True, name="import")
    thread.start()
    return thread
