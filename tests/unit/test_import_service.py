"""The import service's refusals are UserErrors, and loading it loads no ORM model."""

import json
import subprocess
import sys

from geodata.errors import ImportRejected, RowError
from gridmgmt.domain.errors import Conflict, UserError
from gridmgmt.services.imports.demo import DemoExists, DemoLoadFailed
from gridmgmt.services.imports.writing import ConcurrentChange


def test_refusals_are_user_errors_with_their_status():
    rejected = ImportRejected.one("文件为空")
    assert isinstance(rejected, UserError) and rejected.status == 400
    changed = ConcurrentChange([RowError(3, "户编码", "编码“h1”的记录在本次导入读取之后被修改")])
    assert isinstance(changed, ImportRejected) and isinstance(changed, Conflict) and changed.status == 409
    assert "本次导入全部取消" in str(changed)
    # The old bases stay, so existing `except ValueError` / `except RuntimeError` still catch them.
    assert issubclass(DemoExists, Conflict) and issubclass(DemoExists, ValueError)
    assert issubclass(DemoLoadFailed, Conflict) and issubclass(DemoLoadFailed, RuntimeError)


def test_the_import_service_loads_no_orm_model():
    """`gridmgmt import` builds its tables from the catalog: the models cost a quarter second of start-up."""
    probe = (
        "import json, sys, gridmgmt.services.imports; "
        "print(json.dumps([m for m in ('gridmgmt.db.models', 'geoalchemy2') if m in sys.modules]))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(loaded.stdout) == []
