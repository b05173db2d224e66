"""The local cluster (issue 15, findings 2 and 3): password logins, an app role that is no
superuser, earlier trust clusters converted, and no acknowledged visit lost in a crash.

Every test runs on a throwaway cluster of its own port and var dir.
"""

import shutil
import socket
import stat
import threading
import uuid
from datetime import UTC, datetime, timezone

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from gridmgmt.config import Settings
from gridmgmt.db.cluster import LocalCluster
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.models import Visit
from gridmgmt.db.roles import connect
from gridmgmt.services.visits.records import VisitInput, record_visit
from tests.integration.visit_fixtures import SETTINGS, build

# pg_hba.conf as initdb --auth=trust wrote it for earlier versions.
TRUST_HBA = "".join(
    f"{kind} {db} all {addr} trust\n"
    for kind, addr in (("local", ""), ("host", "127.0.0.1/32"), ("host", "::1/128"))
    for db in ("all", "replication")
)

DATABASE_OWNER = "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A fresh cluster with the app's database migrated."""
    var_dir = tmp_path_factory.mktemp("var")
    settings = Settings(var_dir=var_dir, pg_port=_free_port(), database_url=None)
    local = LocalCluster(settings)
    try:
        local.up()
        upgrade(settings.url_for())
        yield local
    finally:
        local.down("immediate")
        shutil.rmtree(local.root, ignore_errors=True)
        if not local.root.is_relative_to(var_dir):  # root's fallback folder under /var/tmp
            shutil.rmtree(local.root.parent, ignore_errors=True)


def _login(settings: Settings, role: str, password: str | None) -> psycopg.Connection:
    params = {
        "host": "127.0.0.1",
        "port": settings.pg_port,
        "user": role,
        "dbname": settings.db_name,
        "passfile": "/nonexistent",
        "connect_timeout": 10,
    }
    if password is not None:
        params["password"] = password
    return psycopg.connect(**params)


def _one(conn: psycopg.Connection, query: str):
    return conn.execute(query).fetchone()[0]


@pytest.mark.parametrize("password", [None, "", "wrong-password"])
def test_login_without_the_password_is_refused(cluster, monkeypatch, password):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    settings = cluster.settings
    for role in (settings.pg_user, settings.pg_admin_user):
        with pytest.raises(psycopg.OperationalError, match="password"):
            _login(settings, role, password)


def test_password_files_are_private_and_work(cluster):
    settings = cluster.settings
    assert stat.S_IMODE(settings.secrets_dir.stat().st_mode) == 0o700
    for role in (settings.pg_user, settings.pg_admin_user):
        path = settings.password_file(role)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        _login(settings, role, path.read_text().strip()).close()
        # Only SCRAM verifiers reach the server, so no password is in its log.
        assert path.read_text().strip() not in cluster.log_file.read_text(errors="replace")


def test_the_app_role_is_no_superuser_and_owns_its_database(cluster):
    settings = cluster.settings
    with connect(settings.url_for()) as conn:
        flags = conn.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owner = _one(conn, DATABASE_OWNER)
        others = conn.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace "
            "AND c.relkind IN ('r', 'v', 'm', 'S') "
            "AND c.relowner <> current_user::regrole AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = c.oid AND d.deptype = 'e')"
        ).fetchall()
    assert flags == (False, False, False, False, False)
    assert owner == settings.pg_user
    assert others == []  # every table of the app belongs to the app's role


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE EXTENSION file_fdw",
        "SELECT rolpassword FROM pg_authid",
        "SELECT pg_read_file('/etc/hostname')",
        "COPY visit (note) FROM '/etc/hostname'",
        "CREATE DATABASE intruder",
        "CREATE ROLE intruder",
        "ALTER ROLE current_user SUPERUSER",
        "ALTER SYSTEM SET synchronous_commit = off",
    ],
)
def test_the_app_role_cannot_act_as_superuser(cluster, statement):
    with connect(cluster.settings.url_for()) as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement)


def _make_trusting_like_earlier_versions(cluster: LocalCluster) -> None:
    """Undo what `db up` secures: the superuser owns everything, no app role, trust, commits async."""
    settings = cluster.settings
    app = sql.Identifier(settings.pg_user)
    admin = sql.Identifier(settings.pg_admin_user)
    for database in (settings.db_name, settings.test_db_name, "postgres"):
        with connect(settings.admin_url_for(database)) as conn:
            conn.execute(sql.SQL("REASSIGN OWNED BY {} TO {}").format(app, admin))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(app))
    with connect(settings.admin_url_for()) as conn:
        conn.execute(sql.SQL("DROP ROLE {}").format(app))
        conn.execute("ALTER SYSTEM SET synchronous_commit = off")
    (cluster.data_dir / "pg_hba.conf").write_text(TRUST_HBA)
    settings.password_file(settings.pg_user).unlink()
    cluster.down()


def test_a_trust_cluster_of_earlier_versions_is_converted(cluster, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    settings = cluster.settings
    with connect(settings.url_for()) as conn:
        conn.execute(
            "INSERT INTO township (code, name, geom) VALUES ('441624100000', '旧镇', "
            "'SRID=4326;MULTIPOLYGON(((115 23, 116 23, 116 24, 115 23)))')"
        )
    _make_trusting_like_earlier_versions(cluster)
    cluster.up()
    with pytest.raises(psycopg.OperationalError, match="password"):
        _login(settings, settings.pg_admin_user, None)
    test_the_app_role_is_no_superuser_and_owns_its_database(cluster)
    with connect(settings.url_for()) as conn:
        assert conn.execute("SELECT name FROM township").fetchall() == [("旧镇",)]
        assert _one(conn, "SHOW synchronous_commit") == "on"
        conn.execute("DELETE FROM township")
    with connect(settings.url_for(settings.test_db_name)) as conn:
        assert _one(conn, DATABASE_OWNER) == settings.pg_user


def test_acknowledged_visits_survive_a_crash(cluster):
    settings = cluster.settings
    engine = create_engine(settings.url_for())
    noon = datetime(2025, 5, 15, 4, 0, tzinfo=UTC)
    with sessionmaker(engine, expire_on_commit=False)() as session:
        town = build(session)
        acknowledged = set()
        for k in range(60):
            visit = VisitInput(
                client_id=str(uuid.uuid4()),
                cadre_id=town["cadres"]["grid_worker"],
                visited_at=noon,
                household_id=town["households"][k % 19].id,
            )
            stored, created = record_visit(session, visit, SETTINGS)  # commits: the phone gets its 201 now
            assert created
            acknowledged.add(stored.client_id)
    cluster.down("immediate")  # the server dies: no checkpoint, no flush
    engine.dispose()
    cluster.up()
    with sessionmaker(engine)() as session:
        kept = set(session.scalars(select(Visit.client_id)))
        setting = session.scalar(select(func.current_setting("synchronous_commit")))
    engine.dispose()
    lost = acknowledged - kept
    assert not lost, f"{len(lost)} acknowledged visits lost"  # 4 of 60 with synchronous_commit=off
    assert len(kept) == 60
    assert setting == "on"


def test_several_ups_at_once_all_succeed(cluster):
    """pytest-xdist workers each bring the cluster up as they start. Each `up` alters the same role
    rows, and two at once failed one of them with "tuple concurrently updated" (a run's whole worker
    then errored); `up` now takes a lock on the cluster first."""
    failures = []

    def up():
        try:
            LocalCluster(cluster.settings).up()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever an up raised
            failures.append(exc)

    for _ in range(5):
        threads = [threading.Thread(target=up) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
