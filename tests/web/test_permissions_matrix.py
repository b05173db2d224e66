"""Every route × every role (and anonymous) answers as docs/permissions.md says."""

import re

import pytest

from gridmgmt.config import PROJECT_ROOT
from tests.web.people import log_in
from web import create_app

MATRIX = PROJECT_ROOT / "docs" / "permissions.md"
WHO = ("anonymous", "admin", "planner", "reviewer", "grid_worker", "leader")
ROW = re.compile(r"^\| (GET|POST) \| (\S+) \| (\S+) \|((?: \d{3} \|){6})\s*$")


def matrix_rows() -> list[tuple[str, str, str, dict[str, int]]]:
    """(method, url, endpoint, {who: status}) for every row of the documented matrix."""
    rows = []
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if found:
            method, url, endpoint, cells = found.groups()
            statuses = [int(cell) for cell in cells.strip(" |").split(" | ")]
            rows.append((method, url, endpoint, dict(zip(WHO, statuses))))
    return rows


def test_the_matrix_is_read():
    assert len(matrix_rows()) >= 25


def test_every_route_has_a_matrix_row(db_url):
    app = create_app({"DATABASE_URL": db_url})
    documented = {(method, endpoint) for method, _url, endpoint, _ in matrix_rows()}
    routes = {
        (method, rule.endpoint) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - documented == set(), "routes without a row in docs/permissions.md"
    assert documented - routes == set(), "rows of docs/permissions.md without a route"


def test_each_row_names_its_own_endpoint(db_url):
    adapter = create_app({"DATABASE_URL": db_url}).url_map.bind("localhost")
    for method, url, endpoint, _ in matrix_rows():
        assert adapter.match(url, method=method)[0] == endpoint, url


@pytest.fixture
def matrix_app(app):
    """The test app without CSRF, so that POST rows test access alone."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_every_route_and_role_gets_the_documented_status(matrix_app, people):
    wrong = []
    for who in WHO:
        client = matrix_app.test_client()
        for method, url, _endpoint, expected in matrix_rows():
            if who != "anonymous":
                log_in(client, people[who])  # POST /logout ends the session: log in again
            data = {"username": who, "password": "wrong-password"} if method == "POST" else None
            status = client.open(url, method=method, data=data).status_code
            if status != expected[who]:
                wrong.append(f"{method} {url} as {who}: {status}, documented {expected[who]}")
    assert wrong == []
