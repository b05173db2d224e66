"""The 县级总览 in Chromium at 1366×768 (issue 17): a county leader lands on it, sees the townships
ranked and the county map coloured by the chosen figure; a township leader gets 403."""

import pytest

from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.accounts.users import add_user
from tests.web.people import PASSWORD

pytestmark = pytest.mark.e2e

COUNTY = "441500"


@pytest.fixture
def county_leader(session, live_server):
    """A leader of the sample county 441500 (both sample townships)."""
    add_user(session, "county_leader", "leader", PASSWORD, actor=Actor("test", None, None), county_code=COUNTY)
    return "county_leader"


def test_a_county_leader_sees_the_townships_ranked_and_the_map(login_page, county_leader, screenshot_dir):
    page = login_page(county_leader, 1366, 768)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    assert page.url.endswith(f"/counties/{COUNTY}")  # their home
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("示范县县级总览")
    assert page.locator("nav.pages a.active").inner_text() == "县级总览"
    names = page.locator(".county-table tbody td.name").all_inner_texts()
    assert sorted(names) == ["示范镇", "邻镇"]
    shapes = page.locator("#county-map path.leaflet-interactive")
    assert shapes.count() == 2
    assert shapes.first.is_visible() and page.locator(".county-table").is_visible()
    assert sorted(page.locator("#county-map .township-name").all_inner_texts()) == ["示范镇", "邻镇"]
    assert page.locator("#county-legend").inner_text().startswith("空白组（颜色越深数值越大，越需关注）")
    _legend_counts_every_township_once(page)
    page.screenshot(path=screenshot_dir / "county_leader_overview.png")

    page.select_option("#county-figure", "visit_rate")
    assert page.locator("#county-legend").inner_text().startswith("走访完成率（颜色越深数值越小，越需关注）")
    _legend_counts_every_township_once(page)
    fills = shapes.evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert all(fill and fill.startswith("#") for fill in fills)

    page.locator("th a", has_text="走访逾期").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("?sort=visits_overdue")
    assert page.locator("th.sorted").inner_text().startswith("走访逾期")
    assert errors == []


def _legend_counts_every_township_once(page):
    """Each legend entry has its own colour and names how many townships it holds; they add up to 2."""
    entries = page.locator("#county-legend .entry").all_inner_texts()
    counts = [int(text.split("（")[-1].removesuffix(" 个乡镇）")) for text in entries]
    assert sum(counts) == 2 and all(n > 0 for n in counts)
    colours = page.locator("#county-legend .swatch").evaluate_all("els => els.map(e => e.style.background)")
    assert len(set(colours)) == len(entries)


def test_a_township_leader_gets_403(login_page, live_server, screenshot_dir):
    page = login_page("leader", 1366, 768)
    answer = page.goto(f"{live_server}/counties/{COUNTY}")
    assert answer.status == 403
    assert page.locator("nav.pages a", has_text="县级总览").count() == 0
    page.screenshot(path=screenshot_dir / "county_township_leader_403.png")
