"""Every page of every role reads as Chinese: the text a user sees (and the placeholders, titles and
button values they read) holds no English word outside tests/wording.py's allow-list. The pages are the
GET rows of docs/permissions.md, whose sample ids test_permissions_matrix keeps in step with the routes."""

from html.parser import HTMLParser

import pytest

from gridmgmt.domain.wording import ATTRIBUTION
from tests.web.people import log_in
from tests.web.sample import TOWNSHIP_CODE
from tests.web.test_permissions_matrix import WHO, matrix_rows
from tests.wording import WORD, english

# Attributes whose text is shown to the user.
SHOWN = ("placeholder", "title", "alt", "aria-label")
# Elements whose content is not shown as text.
HIDDEN = {"script", "style", "template"}
# The user names of the sample people, shown as they were typed.
SAMPLE_NAMES = frozenset({"admin", "planner", "reviewer", "grid_worker", "leader", "other_planner"})


class ShownText(HTMLParser):
    """Collects the text of a page a user can read."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in HIDDEN:
            self.hidden += 1
        self.parts += [attrs[name] for name in SHOWN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def shown_text(html: str) -> str:
    """The text of HTML that a user reads."""
    parser = ShownText()
    parser.feed(html)
    return " ".join(parser.parts)


def _pages(app, people) -> dict[str, set[str]]:
    """English words found on every HTML page, by 'role GET url'."""
    found = {}
    for who in WHO:
        client = app.test_client()
        if who != "anonymous":
            log_in(client, people[who])
        for method, url, _endpoint, _statuses in matrix_rows():
            if method != "GET":
                continue
            answer = client.get(url)
            # A redirect's body is never shown: the browser follows it.
            if answer.mimetype == "text/html" and answer.status_code // 100 != 3:
                found[f"{who} {url} {answer.status_code}"] = english(shown_text(answer.text), SAMPLE_NAMES)
    return found


def test_every_page_of_every_role_is_chinese(app, people):
    pages = _pages(app, people)
    assert len(pages) > 100
    assert {page: words for page, words in pages.items() if words} == {}


def test_shown_text_skips_scripts_and_keeps_placeholders():
    html = '<p>网格 <b>W1</b></p><script>var x = "Usage";</script><input placeholder="如 grid_groups_year">'
    assert english(shown_text(html)) == {"grid_groups_year"}


@pytest.mark.parametrize(
    ("method", "url", "status", "says"),
    [
        ("GET", "/audit?since=2026-13-01", 400, "起始日期"),
        ("GET", f"/townships/{TOWNSHIP_CODE}/visits?date=yesterday", 400, "日期"),
        ("GET", "/no/such/page", 404, "页面不存在"),
        ("DELETE", "/audit", 405, "不支持该操作"),
    ],
)
def test_error_pages_are_chinese_with_a_way_back(as_user, method, url, status, says):
    """Issue 18: no Werkzeug "400 Bad Request" page (lang=en) from the audit or visits pages."""
    answer = as_user("admin").open(url, method=method)
    page = answer.get_data(as_text=True)
    assert answer.status_code == status and answer.mimetype == "text/html" and 'lang="zh-CN"' in page
    typed = set(WORD.findall(url))  # the user's own input may be quoted back
    assert says in page and "返回首页" in page and english(shown_text(page), typed) == set()


def test_a_too_large_upload_gets_the_chinese_page(app, as_user):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    answer = as_user("admin").post("/imports", data={"x": "y" * 2 * 1024 * 1024})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 413 and "提交的内容过大" in page and english(shown_text(page)) == set()


def test_every_map_shows_the_projects_attribution_not_leaflets_flag(app, people):
    """Issue 18: Leaflet's prefix (its name and a national flag) gives way to wording.ATTRIBUTION on
    every map: folium's pages set it, the pages of our own scripts load attribution.js after Leaflet."""
    maps = {}
    for who in ("admin", "grid_worker"):
        client = app.test_client()
        log_in(client, people[who])
        for method, url, _endpoint, statuses in matrix_rows():
            if method == "GET" and statuses[who] == 200 and url.startswith(("/townships", "/m", "/grids", "/imports")):
                answer = client.get(url)
                if answer.mimetype == "text/html" and ("L.map(" in answer.text or "leaflet.js" in answer.text):
                    maps[url] = answer.text
    assert len(maps) >= 8
    prefix = f'data-prefix="{ATTRIBUTION}"'
    for url, page in maps.items():
        ours = page.find("attribution.js") > page.find("dist/leaflet.js") > 0 and prefix in page
        folium = ".attributionControl.setPrefix(" in page
        assert ours or folium, url
