"""/tiles/{layer}/{z}/{x}/{y}.pbf: access, headers, errors, content."""

import mapbox_vector_tile
import pytest
from sqlalchemy import event, select, text

from gridmgmt.db.models import Household, Village
from tests.web.tokens import token_for

# The z12 tile holding all five sample households.
TOWNSHIP_TILE = "12/3364/1767"
EMPTY_TILE = "14/0/0"


def _households(response) -> list[dict]:
    return mapbox_vector_tile.decode(response.data)["households"]["features"]


def _assert_error(response, status, code):
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error  # Chinese
    return error["message"]


def test_household_tile_for_a_planner(client, township, session):
    response = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf", headers=token_for(session, "planner"))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.mapbox-vector-tile"
    assert response.cache_control.private and response.cache_control.max_age == 60
    assert response.headers["ETag"]
    features = _households(response)
    assert len(features) == 5
    assert all(f["properties"] == {} and f["id"] for f in features)  # ids only
    for flag in ("hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"):
        assert flag.encode() not in response.data


def test_household_tile_costs_three_statements_then_two(as_user, db_url):
    """The logged-in user (with their township's code), the data version and the tile: no ping,
    no reload; asked again, the tile is the one kept for this data version."""
    from gridmgmt.db.session import engine_for

    client = as_user("planner")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine_for(db_url), "before_cursor_execute", count)
    try:
        first = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf")
        asked = len(statements)
        again = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf")
    finally:
        event.remove(engine_for(db_url), "before_cursor_execute", count)
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert asked == 3 and len(statements) - asked == 2, statements


def test_unchanged_tile_is_304(client, township, session):
    headers = token_for(session, "planner")
    url = f"/tiles/households/{TOWNSHIP_TILE}.pbf"
    etag = client.get(url, headers=headers).headers["ETag"]
    response = client.get(url, headers={**headers, "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_grid_worker_gets_only_their_village(client, township, session):
    response = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf", headers=token_for(session, "grid_worker"))
    east = session.scalars(
        select(Household.id).join(Village, Household.village_id == Village.id).where(Village.name == "东村")
    ).all()
    assert sorted(f["id"] for f in _households(response)) == sorted(east)
    assert len(east) == 3


def test_households_need_login(client, township):
    response = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf")
    _assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_households_refused_to_reviewers(client, township, session):
    response = client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf", headers=token_for(session, "reviewer"))
    _assert_error(response, 403, "forbidden")


def test_empty_tile_is_204(client, township, session):
    response = client.get(f"/tiles/households/{EMPTY_TILE}.pbf", headers=token_for(session, "admin"))
    assert response.status_code == 204 and response.data == b""


@pytest.mark.parametrize(
    "zxy, fragment",
    [
        ("23/0/0", "0–22"),
        ("2/4/0", "0–3"),
        ("2/0/-1", "0–3"),
        ("a/0/0", "整数"),
    ],
)
def test_invalid_tile_address_is_400(client, township, session, zxy, fragment):
    response = client.get(f"/tiles/households/{zxy}.pbf", headers=token_for(session, "admin"))
    assert fragment in _assert_error(response, 400, "bad_request")


def test_unknown_layer_and_path_are_json_404(client, township):
    assert "parcels" in _assert_error(client.get("/tiles/parcels/1/0/0.pbf"), 404, "not_found")
    _assert_error(client.get("/tiles/roads"), 404, "not_found")


def test_wrong_method_is_json_405(client, township):
    _assert_error(client.post("/tiles/roads/1/0/0.pbf"), 405, "method_not_allowed")


def test_public_layers_follow_the_setting(app, township):
    client = app.test_client()
    _assert_error(client.get(f"/tiles/roads/{TOWNSHIP_TILE}.pbf"), 401, "unauthorized")
    app.config["PUBLIC_LAYERS"] = True
    response = client.get(f"/tiles/roads/{TOWNSHIP_TILE}.pbf")
    assert response.status_code == 200
    assert response.cache_control.public and response.cache_control.max_age == 300
    roads = mapbox_vector_tile.decode(response.data)["roads"]["features"]
    assert {f["properties"]["name"] for f in roads} == {"县道101", "西村路"}
    groups = client.get(f"/tiles/village_groups/{TOWNSHIP_TILE}.pbf")
    assert groups.status_code == 200
    _assert_error(client.get(f"/tiles/households/{TOWNSHIP_TILE}.pbf"), 401, "unauthorized")


def test_database_down_is_json_503(db_url, township):
    from web import create_app

    app = create_app(
        {"TESTING": True, "PUBLIC_LAYERS": True, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    response = app.test_client().get(f"/tiles/roads/{TOWNSHIP_TILE}.pbf")
    _assert_error(response, 503, "unavailable")


def test_server_error_is_json_500_without_details(app, township, monkeypatch):
    from gridmgmt.services.mapdata import tiles

    def broken(*_args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(tiles, "render_tile", broken)
    app.config.update(PUBLIC_LAYERS=True, PROPAGATE_EXCEPTIONS=False)
    response = app.test_client().get(f"/tiles/roads/{TOWNSHIP_TILE}.pbf")
    assert "secret" not in _assert_error(response, 500, "internal_error")


def test_a_restarted_database_costs_no_failed_request(as_user, db_url, session):
    """Pre-ping: pooled connections the server dropped are replaced at checkout, before use."""
    client = as_user("planner")
    url = f"/tiles/households/{TOWNSHIP_TILE}.pbf"
    assert client.get(url).status_code == 200
    session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND usename = current_user "
            "AND pid <> pg_backend_pid()"
        )
    )
    assert client.get(url).status_code == 200
