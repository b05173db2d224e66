"""A county run whose worker process dies: the townships it left unfinished run again one at a time,
and only a township that kills its worker again fails, with its own reason."""

import os
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from gridmgmt.services.county.runs import WORKER_DIED, county_run
from tests.integration import grid_town
from tests.integration.test_county_runs import SECOND, _small_town


@dataclass(frozen=True)
class DiesOn:
    """A township job that kills its own worker process on township CODE; the others take a second,
    so that they are still running when it dies."""

    code: str

    def __call__(self, session: Session, code: str) -> str:
        """«已运行»; no answer at all on CODE: the process exits as an out-of-memory kill would."""
        if code == self.code:
            os._exit(9)
        time.sleep(1)
        return "已运行"


def test_a_dying_worker_fails_only_its_own_township(session, db_url):
    grid_town.build(session)
    _small_town(session)
    lines = []
    run = county_run(db_url, "441624", DiesOn(SECOND), jobs=2, progress=lines.append)
    by_code = {o.code: o for o in run.outcomes}
    assert sorted(by_code) == sorted([grid_town.TOWN, SECOND])
    assert by_code[grid_town.TOWN].ok and by_code[grid_town.TOWN].summary == "已运行"
    assert by_code[SECOND].error == WORKER_DIED
    assert len(lines) == 2 and any("小镇 失败：工作进程意外退出" in line for line in lines)


def test_a_run_without_deaths_is_one_pass(session, db_url):
    grid_town.build(session)
    _small_town(session)
    run = county_run(db_url, "441624", DiesOn("none"), jobs=2, progress=lambda _line: None)
    assert [o.ok for o in run.outcomes] == [True, True]
