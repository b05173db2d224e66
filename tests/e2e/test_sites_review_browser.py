"""The reviewer on the 示范点 page in Chromium: returns a site at 初审 (退回整改) with a reason, is
refused without one, and sees the reason in the site's record."""

import pytest
from sqlalchemy import select

from gridmgmt.db.models import AppUser, DemoSite, PartyOrg
from gridmgmt.domain.site_standards import ALL_HAVES
from gridmgmt.services.sites.review import Application, review
from tests.web.sample import TOWNSHIP_CODE

pytestmark = pytest.mark.e2e
ORG = "P4415001002"


@pytest.fixture
def applied(live_server, session):
    """西村党支部 meets the standard, has applied and passed 初审 (decided by the sample reviewer)."""
    org = session.scalar(select(PartyOrg).where(PartyOrg.code == ORG))
    org.venue_area_m2 = 150
    for item in ALL_HAVES:
        setattr(org, item, True)
    session.commit()
    judge = session.scalar(select(AppUser).where(AppUser.username == "reviewer"))
    review(session, judge, ORG, "apply", 2026, stated=Application("service", "便民代办点"))
    review(session, judge, ORG, "preliminary", 2026)
    return org.id


def _record(page, step_label: str, reason: str) -> str:
    """Choose STEP_LABEL in the site's form, write REASON, submit; the message shown after."""
    page.click(f'details[data-code="{ORG}"] summary')
    form = page.locator(f'details[data-code="{ORG}"] form:not(.undo)')
    form.locator('select[name="step"]').select_option(label=step_label)
    form.locator('input[name="comment"]').fill(reason)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    return page.locator("main.sites > p").first.inner_text()


def test_reviewer_returns_a_step_with_a_reason(login_page, live_server, applied, session, screenshot_dir):
    page = login_page("reviewer", 1400, 900)
    page.goto(f"{live_server}/townships/{TOWNSHIP_CODE}/sites")
    assert _record(page, "退回整改", "") == "“退回整改”须写明原因"
    assert session.scalar(select(DemoSite.status)) == "preliminary"
    assert _record(page, "退回整改", "公开栏内容未更新") == f"{ORG}：退回整改，现为“退回整改”"
    site = page.locator(f'details[data-code="{ORG}"]')
    assert "西村党支部（P4415001002）：退回整改" in site.locator("summary").inner_text()
    site.locator("summary").click()
    last = site.locator("table tr").last
    assert last.locator("td").nth(2).inner_text() == "退回整改"
    assert last.locator("td").nth(5).inner_text() == "公开栏内容未更新"
    page.screenshot(path=screenshot_dir / "sites_returned.png", full_page=True)
    session.expire_all()
    assert session.scalar(select(DemoSite.status)) == "returned"
    page.close()
