"""The 县级总览 on the county demo (20 townships, about 200,000 households and a year of visits).

Ours: the overview as a page asks it again (kept per county, day and fingerprint: the
fingerprint and each township's visit stamp are read, nothing recomputed), and after one new
visit (its township's compliance recomputed, the other 19 kept). Baseline: the same overview
built from nothing (the coverage pass, the committee rule, the plans and sites, and the 20
townships' compliance one after another), which is what the first request after a change of
the county's structure pays. Target: a repeat under TARGET_S (2 s, issue 17).

    .venv/bin/python -m bench.county
"""

import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from bench.common import Result
from bench.coverage import county_database
from gridmgmt.config import get_settings
from gridmgmt.db.models import Cadre, Household, Village
from gridmgmt.db.session import make_session
from gridmgmt.services.county.overview import county_overview
from gridmgmt.services.visits.records import VisitInput, record_visit
from gridmgmt.services.visits.settings import VisitSettings

COUNTY = "441624"
TARGET_S = 2.0


def _timed_overview(session, day, settings) -> float:
    start = time.perf_counter()
    county_overview(session, COUNTY, day, settings)
    return time.perf_counter() - start


def _one_visit(session, settings) -> None:
    """A visit now by a cadre of the first township to a household of that township."""
    cadre, township = session.execute(select(Cadre.id, Cadre.township_id).order_by(Cadre.id).limit(1)).one()
    home = session.scalar(
        select(Household.id).join(Village, Village.id == Household.village_id).where(Village.township_id == township)
    )
    record_visit(session, VisitInput(str(uuid.uuid4()), cadre, datetime.now(UTC), household_id=home), settings)


def county_benchmarks() -> list[Result]:
    """The overview asked again, and after a new visit, beside building it from nothing."""
    settings = get_settings()
    visits = VisitSettings.of(settings)
    day = settings.today()
    with make_session(county_database()) as session:
        cold = _timed_overview(session, day, visits)
        warm = _timed_overview(session, day, visits)
        _one_visit(session, visits)
        after_visit = _timed_overview(session, day, visits)
    note = f"目标 ≤ {TARGET_S:.0f} s；新增一次走访后 {after_visit:.2f} s（只重算该镇）"
    return [
        Result("县级总览（20 镇，再次打开）", warm, "从零计算", cold, round(TARGET_S / cold, 3), note),
    ]


if __name__ == "__main__":
    for result in county_benchmarks():
        print(result.line())
