"""Server-side sessions: a saved session cookie stops working after logout, logout everywhere,
a password, role or scope change, and disabling; bearer tokens on POST (CSRF is for cookies)."""

import re
import uuid

from sqlalchemy import select, update

from gridmgmt.db.models import AppUser, AuditLog, Household, LoginSession, Township
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.accounts.users import create_token, set_active, set_password, set_role
from tests.web.people import OUT_OF_SCOPE, PASSWORD
from tests.web.sample import OTHER_TOWNSHIP_CODE
from tests.web.tokens import token_for

VILLAGE = "/villages/441500100201"


def _csrf(client, url) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def _logged_in(app, username="planner"):
    """A client logged in through the form, and a saved copy of its session cookie."""
    client = app.test_client()
    data = {"username": username, "password": PASSWORD, "csrf_token": _csrf(client, "/login")}
    assert client.post("/login", data=data).status_code == 302
    return client, client.get_cookie("session").value


def _replayed(app, cookie) -> int:
    """The status of the village page for a new browser holding the saved session COOKIE."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(VILLAGE).status_code


def test_logout_ends_that_session_only(app, people, session):
    client, cookie = _logged_in(app)
    other, other_cookie = _logged_in(app)
    assert _replayed(app, cookie) == 200
    assert client.post("/logout", headers={"X-CSRFToken": _csrf(client, VILLAGE)}).status_code == 302
    assert _replayed(app, cookie) == 302
    assert _replayed(app, other_cookie) == 200 and other.get(VILLAGE).status_code == 200


def test_logout_everywhere_ends_every_session(app, people, session):
    client, cookie = _logged_in(app)
    _, phone_cookie = _logged_in(app)
    _, admin_cookie = _logged_in(app, "admin")
    answer = client.post("/logout/everywhere", headers={"X-CSRFToken": _csrf(client, VILLAGE)})
    assert answer.status_code == 302 and answer.location == "/login"
    assert _replayed(app, cookie) == 302 and _replayed(app, phone_cookie) == 302
    assert _replayed(app, admin_cookie) == 200
    row = session.scalars(select(AuditLog).where(AuditLog.action == "logout_all")).one()
    assert (row.actor, row.detail) == ("planner", {"sessions": 2})


def test_the_page_offers_logout_everywhere(app, people):
    client, _ = _logged_in(app)
    assert 'formaction="/logout/everywhere"' in client.get(VILLAGE).get_data(as_text=True)


def test_a_password_change_ends_sessions(app, people, session):
    _, cookie = _logged_in(app)
    set_password(session, "planner", "a-new-long-pass")
    assert _replayed(app, cookie) == 302


def test_a_role_change_ends_sessions(app, people, session):
    _, cookie = _logged_in(app)
    set_role(session, "planner", "leader")
    assert _replayed(app, cookie) == 302


def test_a_scope_change_ends_sessions_even_by_plain_sql(app, people, session):
    _, cookie = _logged_in(app)
    other = session.scalar(select(Township.id).where(Township.code == OTHER_TOWNSHIP_CODE))
    session.execute(update(AppUser).where(AppUser.username == "planner").values(township_id=other))
    session.commit()
    assert _replayed(app, cookie) == 302


def test_other_updates_keep_sessions(app, people, session):
    _, cookie = _logged_in(app)
    session.execute(update(AppUser).where(AppUser.username == "planner").values(updated_at=AppUser.updated_at))
    session.commit()
    assert _replayed(app, cookie) == 200


def test_disabling_ends_sessions_and_stops_tokens(app, people, session):
    _, cookie = _logged_in(app)
    token = {"Authorization": f"Bearer {create_token(session, 'planner')}"}
    client = app.test_client()
    assert client.get(VILLAGE, headers=token).status_code == 200
    set_active(session, "planner", False, Actor("ops"))
    assert _replayed(app, cookie) == 302
    assert client.get(VILLAGE, headers=token).status_code == 302
    assert client.get("/ogc/collections/households/items", headers=token).status_code == 401
    assert session.scalars(select(LoginSession)).all() == []


def test_an_old_style_cookie_is_refused(app, people):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(people["planner"])  # before login sessions: the id alone
    assert client.get(VILLAGE).status_code == 302


def test_a_token_posts_without_csrf(app, township, session):
    headers = token_for(session, "grid_worker")  # posted to 东村
    home = session.scalar(select(Household.id).where(Household.code == OUT_OF_SCOPE[0]))
    answer = app.test_client().post(
        "/api/visits", headers=headers, json={"client_id": str(uuid.uuid4()), "household_id": home}
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)


def test_a_cookie_post_still_needs_csrf(app, people, session):
    client, _ = _logged_in(app, "grid_worker")
    answer = client.post("/api/visits", json={"client_id": str(uuid.uuid4()), "household_id": 1})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "csrf"


def test_a_token_request_never_falls_back_to_the_cookie(app, people, session):
    client, _ = _logged_in(app, "admin")
    assert client.get("/audit").status_code == 200
    assert client.get("/audit", headers={"Authorization": "Bearer nope"}).status_code == 302
    bad = client.post("/api/visits", headers={"Authorization": "Bearer nope"}, json={})
    assert bad.status_code == 401
    leader = {"Authorization": f"Bearer {create_token(session, 'leader')}"}
    assert client.get("/audit", headers=leader).status_code == 403
