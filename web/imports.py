"""The 数据导入 page: upload a file, dry-run it (columns, counts, map, every error), then confirm.

The dry run and the import call the services of `gridmgmt import` (preview_layer, import_layer); the
upload waits between the two in a private folder (web/uploads.py), the import runs beside the request
(web/import_jobs.py) and the page polls its status.
"""

from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from geodata.templates import template_workbook
from gridmgmt.config import get_settings
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.permissions import Forbidden, covers_code, may
from gridmgmt.domain.wording import file_name
from gridmgmt.reports.import_errors import import_errors_workbook
from gridmgmt.services.grids.checks import check_plan
from gridmgmt.services.grids.existing import import_existing
from gridmgmt.services.imports.preview import preview_layer
from gridmgmt.services.imports.steps import FileOptions
from gridmgmt.services.mapdata.layers import township_summaries
from web.auth import current_actor, permission_required, require_township
from web.db import get_session
from web.downloads import XLSX, attachment
from web.import_jobs import start_import
from web.inputs import GridImportForm, ImportForm
from web.params import accepts
from web.uploads import discard_data, open_upload, read_status, save_upload

bp = Blueprint("imports", __name__, url_prefix="/imports")
MEGABYTE = 2**20


def _root() -> Path:
    return Path(current_app.config["IMPORT_DIR"])


def _max_mb() -> int:
    return max(1, int(current_app.config["MAX_CONTENT_LENGTH"] // MEGABYTE))


def _townships() -> list:
    """The townships the user may import into: all for an admin, their county's for a county user, else their own."""
    found = township_summaries(get_session())
    user = current_user
    return [t for t in found if covers_code(user.role, user.township_code, user.county_code, t.code)]


def _page(**shown):
    return render_template(
        "imports/page.html",
        layers=LAYERS,
        townships=_townships(),
        max_mb=_max_mb(),
        form=shown.pop("form", {}),
        **shown,
    )


def _options(form: ImportForm) -> dict:
    """What the dry run was asked, kept with the upload for the confirm; the township checked against the user.

    As on the command line, only an admin imports townships or rows of any township; others their own.
    """
    layer = LAYERS[form.layer]
    township = form.township if layer.needs_township else None
    if current_user.role != "admin":
        if not layer.needs_township:
            raise Forbidden(layer.name)
        township = township or current_user.township_code
        if township is None:  # a county user picks one of their townships
            raise Forbidden(layer.name)
    if township:
        require_township(township)
    return {
        "layer": form.layer,
        "township": township,
        "crs": form.crs,
        "update": form.update,
        "fix_geometry": form.fix_geometry,
    }


@bp.get("")
@permission_required("import_data")
def page():
    """The upload form and the templates."""
    return _page()


@bp.post("/check")
@permission_required("import_data")
@accepts(form=ImportForm)
def check(form: ImportForm):
    """Store the upload and dry-run it: nothing is written; a file with errors cannot be confirmed."""
    options = _options(form)
    upload = save_upload(_root(), request.files.get("file"), current_user.id, options)
    options.pop("layer")
    preview = preview_layer(get_session(), form.layer, upload.data, FileOptions(**options, max_mb=_max_mb()))
    if preview.errors:
        label = LAYERS[form.layer].label
        upload.errors.write_bytes(import_errors_workbook(upload.meta["file_name"], label, preview.errors))
        discard_data(upload)  # it cannot be confirmed: only its error sheet is kept
    return _page(preview=preview, upload=upload, form=upload.meta)


@bp.post("/grids")
@permission_required("edit_grids")
@accepts(form=GridImportForm)
def grids(form: GridImportForm):
    """Import existing grids as a draft plan and show its check; the rows of a refused file, nothing written."""
    require_township(form.township)
    upload = save_upload(_root(), request.files.get("file"), current_user.id, {"layer": "grid_plan"})
    name = upload.meta["file_name"]
    try:
        plan_id = import_existing(
            get_session(), form.township, upload.data, form.name, current_actor(), crs=form.crs, file_name=name
        )
    except ImportRejected as rejected:  # listed row by row, as the dry run lists a layer's
        return render_template("imports/grids.html", file_name=name, errors=rejected.errors, found=None), 400
    finally:
        discard_data(upload)
    found = check_plan(get_session(), plan_id)
    return render_template("imports/grids.html", file_name=name, errors=[], found=found, code=form.township)


@bp.get("/templates/<layer>.xlsx")
@permission_required("import_data")
def template(layer: str):
    """The Excel template of LAYER."""
    if layer not in LAYERS:
        raise NotFound(f"没有图层“{layer}”")
    return attachment(template_workbook(layer), XLSX, f"导入模板-{LAYERS[layer].label}.xlsx")


@bp.get("/<token>/errors.xlsx")
@permission_required("import_data")
def errors(token: str):
    """The error sheet of the upload's dry run or failed import."""
    upload = open_upload(_root(), token, current_user.id)
    if not upload.errors.exists():
        raise NotFound("这次上传没有错误清单")
    return attachment(upload.errors.read_bytes(), XLSX, file_name("import_errors", ext="xlsx"))


@bp.post("/<token>/confirm")
@permission_required("import_data")
def confirm(token: str):
    """Start importing the dry-run upload; the status page follows it."""
    upload = open_upload(_root(), token, current_user.id)
    if upload.meta["township"]:
        require_township(upload.meta["township"])
    if read_status(upload)["state"] != "checked" or not upload.data.exists():
        raise NotFound("这次上传已导入或不能导入，请重新上传")
    start_import(current_app.config["DATABASE_URL"], upload, current_actor(), _max_mb())
    return redirect(url_for("imports.job", token=token))


@bp.get("/<token>")
@permission_required("import_data")
def job(token: str):
    """The import's progress and outcome (the page polls the status while it runs)."""
    upload = open_upload(_root(), token, current_user.id)
    return render_template("imports/job.html", upload=upload, status=read_status(upload), layers=LAYERS)


@bp.get("/<token>/status")
@permission_required("import_data")
def status(token: str):
    """The import's status as JSON: running (step, done, total), done (counts) or failed (errors)."""
    return jsonify(read_status(open_upload(_root(), token, current_user.id)))


def init_app(app: Flask) -> None:
    """Register the page; uploads wait in IMPORT_DIR (default var/imports)."""
    app.config.setdefault("IMPORT_DIR", str(get_settings().var_dir / "imports"))
    app.register_blueprint(bp)
    app.context_processor(
        lambda: {"may_import_data": lambda: current_user.is_authenticated and may(current_user.role, "import_data")}
    )
