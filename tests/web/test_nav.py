"""The navigation bar offers each role the township pages it may open, and only those."""

import re

import pytest

from tests.web.people import IN_SCOPE
from tests.web.sample import TOWNSHIP_CODE

MAP_URL = f"/townships/{TOWNSHIP_CODE}"


def _links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pages">(.*?)</nav>', html, re.S)
    return re.findall(r">([^<]+)</a>", nav.group(1)) if nav else []


@pytest.mark.parametrize(
    ("username", "labels"),
    [
        ("admin", ["总览", "组织覆盖", "组织生活", "走访", "驻村包村", "网格", "示范点", "民情跟进"]),
        ("planner", ["总览", "组织覆盖", "组织生活", "走访", "驻村包村", "网格", "示范点", "民情跟进"]),
        ("leader", ["总览", "组织覆盖", "组织生活", "走访", "驻村包村", "民情跟进"]),
        ("reviewer", ["总览", "示范点"]),
    ],
)
def test_nav_lists_the_pages_the_role_may_open(as_user, username, labels):
    client = as_user(username)
    html = client.get(MAP_URL).get_data(as_text=True)
    assert _links(html) == labels
    for href in re.findall(r'<nav class="pages">.*?</nav>', html, re.S)[0].split('href="')[1:]:
        assert client.get(href.split('"')[0]).status_code == 200


def test_nav_marks_the_current_page(as_user):
    html = as_user("planner").get(f"{MAP_URL}/coverage").get_data(as_text=True)
    assert 'class="active" aria-current="page">组织覆盖<' in html


def test_grid_worker_menu_holds_the_phone_pages(as_user):
    html = as_user("grid_worker").get("/m").get_data(as_text=True)
    assert _links(html) == ["我的网格", "今日走访", "民情跟进"]
    assert 'class="active" aria-current="page">我的网格<' in html


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("admin", "/villages/441500100201"),
        ("reviewer", "/villages/441500100201"),
        ("planner", f"/households/{IN_SCOPE[0]}"),
    ],
)
def test_a_village_or_household_page_links_to_its_own_townships_pages(as_user, username, page):
    """The <code> of a village or household page is not a township's: the menu led to /townships/<village> (403)."""
    client = as_user(username)
    html = client.get(page).get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]+)"', re.search(r'<nav class="pages">(.*?)</nav>', html, re.S).group(1))
    assert hrefs[0] == MAP_URL and all(h.startswith(f"{MAP_URL}") for h in hrefs)
    assert all(client.get(h).status_code == 200 for h in hrefs)
