"""Postings read with their dates (issue 14): ending a posting changes what it satisfies.

On the tiny township of visit_fixtures: the 包村 township cadre (posted since 2020), and a
first secretary and one work-team member posted here on 1 March 2024; the village is a 脱贫村.
"""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from gridmgmt.db.models import CadreVillage, Village
from gridmgmt.services.accounts.scopes import cadre_scope
from gridmgmt.services.coverage.report import township_coverage
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.records import Fix, VisitInput, record_visit
from gridmgmt.services.visits.residence import CheckinInput, record_checkin, township_residence
from tests.integration.visit_fixtures import SETTINGS, TOWN, build

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def town(session):
    town = build(session)
    village = town["village"].id
    session.execute(update(Village).where(Village.id == village).values(is_poverty_alleviated=True))
    session.add_all(
        [
            CadreVillage(
                cadre_id=town["cadres"]["first_secretary"],
                village_id=village,
                assignment="first_secretary",
                start_date=date(2024, 3, 1),
            ),
            CadreVillage(
                cadre_id=town["cadres"]["grid_worker"],  # stands in for a work-team member
                village_id=village,
                assignment="work_team",
                start_date=date(2024, 3, 1),
            ),
        ]
    )
    session.commit()
    return town


def _end(session, cadre_id: int, last_day: date) -> None:
    session.execute(update(CadreVillage).where(CadreVillage.cadre_id == cadre_id).values(end_date=last_day))
    session.commit()


def _findings(session, day: date) -> dict:
    report = township_coverage(session, TOWN, with_reach=False, day=day, postings=SETTINGS.postings)
    return report.findings


def test_ending_the_first_secretarys_posting_leaves_the_village_without_one(session, town):
    """003 二.1: a 脱贫村 gets a first secretary; an ended posting does not count as one."""
    assert _findings(session, date(2025, 6, 30))["first_secretary_missing"].empty
    _end(session, town["cadres"]["first_secretary"], date(2025, 6, 30))
    assert _findings(session, date(2025, 6, 30))["first_secretary_missing"].empty  # its last day
    missing = _findings(session, date(2025, 7, 1))["first_secretary_missing"]
    assert missing.name.tolist() == ["测试村"] and missing.designations.tolist() == ["脱贫村"]


def test_ending_the_bao_cun_posting_uncovers_the_village_and_drops_the_duty(session, town):
    """001 §34 包村 and 000 三.1“每名镇干部每年走遍包村的农户”: after the posting ends the village is
    uncovered, the cadre no longer answers for its households, and they leave the cadre's scope."""
    cadre = town["cadres"]["township_cadre"]
    day = date(2025, 6, 1)
    before = township_compliance(session, TOWN, day, SETTINGS)
    assert len(before.status[(before.status.duty == "bao_cun_yearly") & (before.status.cadre_id == cadre)]) == 19
    assert town["village"].id in cadre_scope(session, cadre, day).village_ids
    _end(session, cadre, date(2025, 5, 31))
    after = township_compliance(session, TOWN, day, SETTINGS)
    assert after.status[after.status.duty == "bao_cun_yearly"].empty
    assert town["village"].id not in cadre_scope(session, cadre, day).village_ids
    assert _findings(session, day)["village_uncovered"].name.tolist() == ["测试村"]


def test_work_team_and_term_of_the_resident_postings(session, town):
    """003 二.1“队员一般不少于 2 人” and “任期两年”: one member is short in a 脱贫村; terms from
    1 March 2024 end on 28 February 2026, reminded from 31 December 2025 (60 days)."""
    found = _findings(session, date(2025, 12, 31))
    assert found["work_team_short"].work_team.tolist() == [1]
    assert sorted(found["resident_term"].reasons) == ["任期将满", "任期将满"]
    assert set(found["resident_term"].term_end) == {date(2026, 2, 28)}
    assert _findings(session, date(2025, 12, 30))["resident_term"].empty
    _end(session, town["cadres"]["grid_worker"], date(2025, 11, 30))
    assert _findings(session, date(2025, 12, 31))["work_team_short"].work_team.tolist() == [0]


def test_days_in_the_village_from_visits_and_check_ins(session, town):
    """003 三.5“每月在村工作不少于 20 天”: in May 2025 the first secretary visited on 12 days and
    checked in on 6 more (one of them a visit day too): 17 days, short of 20."""
    cadre = town["cadres"]["first_secretary"]
    home = town["households"][3].id
    for d in range(1, 13):
        at = datetime(2025, 5, d, 9, tzinfo=SHANGHAI)
        record_visit(session, VisitInput(str(uuid.uuid4()), cadre, at, household_id=home), SETTINGS)
    for d in range(12, 18):
        at = datetime(2025, 5, d, 23, 30, tzinfo=SHANGHAI)  # late evening, still that local day
        record_checkin(session, CheckinInput(str(uuid.uuid4()), cadre, at, Fix(115.71, 23.91)))
    days = township_residence(session, township_compliance(session, TOWN, date(2025, 6, 3), SETTINGS))
    may = days[(days.cadre_id == cadre) & (days.month == date(2025, 5, 1))]
    assert list(zip(may.days, may.required, may.short)) == [(17, 20, True)]
    june = days[(days.cadre_id == cadre) & (days.month == date(2025, 6, 1))]
    assert list(zip(june.days, june.complete, june.short)) == [(0, False, False)]
