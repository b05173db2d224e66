"""Pages outside the navigation bar run every script they carry: the Content-Security-Policy
(web/headers.py) refuses none of them."""

import pytest

from tests.web.people import IN_SCOPE

pytestmark = pytest.mark.e2e

PAGES = {
    "planner": ["/villages/441500100202", f"/households/{IN_SCOPE[0]}", "/duties"],
    "grid_worker": ["/m", "/m/visits"],
}


@pytest.mark.parametrize("role", PAGES)
def test_no_script_is_refused(login_page, live_server, role):
    page = login_page(role)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    for path in PAGES[role]:
        assert page.goto(f"{live_server}{path}").ok, path
        page.wait_for_load_state("networkidle")
    assert refused == []
    page.close()
