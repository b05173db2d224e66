"""The coverage page on the demo township (seed 1): its 1,000-odd households beyond reach are
counted by village and group, after the structural problems, never listed one by one for the
township; a village's cards are the village's; nothing reads nan, NaN or None."""

import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.db.models import AppUser, Township
from gridmgmt.domain.branch_rules import RULE_SECTIONS
from tests.integration.demo_town import CODE, default_demo
from tests.web.people import log_in
from tests.web.test_coverage_page import LISTED, cards, counts
from web import create_app

URL = f"/townships/{CODE}/coverage"
MISSING = re.compile(r"\b(nan|NaN|None)\b")


@pytest.fixture(scope="module")
def leader(engine, db_url):
    """A test client logged in as a leader of the demo township, loaded for this module."""

    def add_leader(session: Session) -> int:
        township = session.scalar(select(Township.id).where(Township.code == CODE))
        user = AppUser(username="demo-page-leader", password_hash="-", role="leader", township_id=township)
        session.add(user)
        session.commit()
        return user.id

    with default_demo(engine, date(2026, 7, 1), add_leader) as (_tables, user_id):
        client = create_app({"TESTING": True, "DATABASE_URL": db_url, "TIANDITU_KEY": None}).test_client()
        log_in(client, user_id)
        yield client


def test_the_page_opens_on_the_counts_and_counts_far_households_by_village(leader):
    html = leader.get(URL).get_data(as_text=True)
    found = counts(html)
    order = [rule for _title, rules in RULE_SECTIONS for rule in rules if rule in found]
    # Counts first, in the sections' order, the planted 空白组 first and the distances last.
    assert list(found) == order and order[0] == "blank_group" and order[-2:] == ["venue_far", "member_far"]
    assert found["venue_far"] > 1000 and found["blank_group"] >= 5
    assert html.index('id="rule-counts"') < html.index('id="coverage-map"') < html.index('id="problems"')
    assert LISTED.findall(html) == order
    # Households beyond reach: one folded line per village with its count, no household listed.
    venue_far = html.split('<h3 data-rule="venue_far">')[1].split("<h3")[0]
    villages = [int(n.replace(",", "")) for n in re.findall(r"<summary>[^<：]+：([\d,]+) 户", venue_far)]
    assert sum(villages) == found["venue_far"] and villages == sorted(villages, reverse=True)
    assert "逐户名单（" not in html and html.count('class="locate"') < 300
    # People are shown at their village.
    assert 'class="locate"' in html.split('<h3 data-rule="probation_overdue">')[1].split("<h3")[0]
    # Rows read as the workbook does: roles in Chinese.
    assert "职务 第一书记，" in html and "职务 first_secretary" not in html


def test_the_village_filter_changes_the_cards_and_lists_its_households(leader):
    township = cards(leader.get(URL).get_data(as_text=True))
    html = leader.get(URL, query_string={"village": "大山村"}).get_data(as_text=True)
    village = cards(html)
    assert village["行政村"] == "大山村" and village["户数"] == "587" and township["户数"] == "10,028"
    assert int(village["问题合计"].replace(",", "")) < int(township["问题合计"].replace(",", ""))
    listed = html.split('<h3 data-rule="venue_far">')[1].split("<h3")[0]
    assert f"逐户名单（{counts(html)['venue_far']} 户）" in listed


def test_no_nan_in_the_page_the_map_data_or_the_workbook(leader):
    for query in ({}, {"village": "大山村"}, {"village": "大山村", "rule": "member_far"}):
        html = leader.get(URL, query_string=query).get_data(as_text=True)
        assert not MISSING.findall(html), query
    far = leader.get(f"{URL}/far.geojson", query_string={"village": "大山村"})
    assert far.json["features"] and not MISSING.findall(far.get_data(as_text=True))
    book = openpyxl.load_workbook(BytesIO(leader.get(f"{URL}.xlsx").data))
    cells = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert len(cells) > 1000
    assert not [value for value in cells if isinstance(value, str) and MISSING.search(value)]
