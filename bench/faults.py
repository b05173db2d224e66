"""Load and fault: 1,000 visits from 50 phones while the database crashes and comes back.

The database is a cluster of its own (var/bench/faults, a free port) holding the demo
township; the app runs as `gridmgmt serve`. 50 clients, logged in as the demo grid worker,
post 1,000 visits to households of their scope and resend each (same client id, as the
phone does) until it is acknowledged (2xx) or refused for good. Once 300 are acknowledged
the cluster is stopped with `pg_ctl -m immediate` (a crash), left down 3 s and started again.
Required: no acknowledged visit lost, none stored twice, no 500 (503 only), and the first
success within 5 s of the database accepting connections again. Every phase has a time
limit and is reported as not finished rather than left hanging.
"""

import http.client
import json
import os
import queue
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import psycopg

from bench.common import BIN
from bench.serving import Server, log_in
from gridmgmt.config import get_settings
from gridmgmt.db.cluster import scratch_cluster
from gridmgmt.db.migrate import upgrade
from gridmgmt.services.accounts.demo_users import DEMO_PASSWORD, DEMO_USERS

VISITS = 1_000
CLIENTS = 50
CRASH_AFTER = 300
DOWN_S = 3
RESEND_S = 0.25  # the pause before a resend: shorter than Retry-After (5 s), to time the return to 0.1 s
RECOVERY_TARGET_S = 5
REQUEST_TIMEOUT_S = 30
# Seconds each phase may take.
LIMITS = {"准备数据库": 600, "崩溃前": 180, "停库与重启": 120, "其余走访": 300}
WORKER = DEMO_USERS["grid_worker"]
SCOPE_SQL = """
SELECT h.id FROM household h JOIN cadre_village cv ON cv.village_id = h.village_id
JOIN app_user u ON u.cadre_id = cv.cadre_id WHERE u.username = %s
AND (cv.start_date IS NULL OR cv.start_date <= current_date) AND (cv.end_date IS NULL OR cv.end_date >= current_date)
ORDER BY h.id"""
STORED_SQL = "SELECT client_id::text, note FROM visit WHERE note LIKE 'bench-fault-%'"


class PhaseTimeout(RuntimeError):
    """A phase that did not finish within its limit."""


def _limit(phase: str) -> float:
    return time.monotonic() + LIMITS[phase]


def _check(phase: str, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise PhaseTimeout(f"{phase}未在 {LIMITS[phase]} 秒内完成（did not finish in {LIMITS[phase]} s）")


def _run(phase: str, deadline: float, *args: str, env: dict[str, str]) -> None:
    """`gridmgmt ARGS` within PHASE's DEADLINE."""
    try:
        subprocess.run(
            [str(BIN / "gridmgmt"), *args], env=env, check=True, timeout=max(1.0, deadline - time.monotonic())
        )
    except subprocess.TimeoutExpired:
        _check(phase, deadline)


@dataclass
class Tally:
    """What the phones heard: answers by status, and when each client id was acknowledged."""

    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[str, float] = field(default_factory=dict)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status, client_id: str, final: bool = False) -> None:
        """Count one answer (or "network" for none) to CLIENT_ID's post."""
        with self.lock:
            self.statuses[status] += 1
            if status in (200, 201):
                self.acknowledged[client_id] = time.monotonic()
            self.refused += final


@dataclass
class FaultResult:
    """The figures of one load-and-fault run, or the phase that did not finish."""

    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    errors_500: int = 0
    answers_503: int = 0
    other: str = ""
    recovery_s: float | None = None
    start_s: float = 0.0
    before_crash: int = 0
    wall_s: float = 0.0
    failure: str = ""

    def line(self) -> str:
        """A Markdown table row in the bench report's columns."""
        name = f"断库：{VISITS:,} 条走访，{CLIENTS} 个客户端重发，pg_ctl -m immediate"
        if self.failure:
            return f"| {name} | 未完成 | — | — | ✗ | {self.failure} |"
        back = "未恢复" if self.recovery_s is None else f"{self.recovery_s:.2f} s"
        ok = (
            self.lost == 0
            and self.duplicated == 0
            and self.errors_500 == 0
            and self.recovery_s is not None
            and self.recovery_s <= RECOVERY_TARGET_S
            and self.acknowledged == VISITS
        )
        return (
            f"| {name} | 恢复 {back}；丢失 {self.lost}、重复 {self.duplicated}、500 {self.errors_500} 次、"
            f"503 {self.answers_503} 次 | — | — | 丢失 0、重复 0、无 500、恢复 ≤ {RECOVERY_TARGET_S} s "
            f"{'✓' if ok else '✗'} | 确认 {self.acknowledged:,} 条（崩溃前 {self.before_crash}）；恢复自库可连接起计"
            f"（重启含崩溃恢复 {self.start_s:.1f} s）；库停 {DOWN_S} s；共 {self.wall_s:.0f} s{self.other} |"
        )


def _raw(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _prepare(cluster, env: dict[str, str]) -> list[int]:
    """Create, migrate and fill the scratch database; the grid worker's household ids."""
    deadline = _limit("准备数据库")
    cluster.up()
    url = cluster.settings.url_for()
    upgrade(url)
    _run("准备数据库", deadline, "demo", env=env)
    _run("准备数据库", deadline, "user", "demo", env=env)
    with psycopg.connect(_raw(url)) as conn:
        return [row[0] for row in conn.execute(SCOPE_SQL, (WORKER,))]


def _headers(port: int) -> dict[str, str]:
    """Cookie and CSRF headers of the demo grid worker, logged in through the form."""
    cookie = log_in(port, DEMO_PASSWORD, WORKER)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    conn.request("GET", "/m/visits", headers={"Cookie": cookie})
    answer = conn.getresponse()
    page = answer.read().decode()
    # The page puts a CSRF token into the session, so the cookie changes.
    cookie = (answer.getheader("Set-Cookie") or cookie).split(";")[0]
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    return {"Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json"}


def _post(conn: http.client.HTTPConnection, headers: dict, body: dict) -> tuple[int, bool]:
    """POST BODY to /api/visits on CONN: (status, whether the refusal is final)."""
    conn.request("POST", "/api/visits", body=json.dumps(body), headers=headers)
    answer = conn.getresponse()
    reply = answer.read()
    if not 400 <= answer.status < 500:
        return answer.status, False
    try:
        return answer.status, json.loads(reply)["error"]["final"] is True
    except (ValueError, KeyError, TypeError):  # not the API's error shape: not final
        return answer.status, False


def _phone(port: int, headers: dict, todo: queue.SimpleQueue, tally: Tally, stop: threading.Event) -> None:
    """Post the visits of TODO until none is left, resending each until acknowledged or refused."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    while not stop.is_set():
        try:
            body = todo.get_nowait()
        except queue.Empty:
            break
        while not stop.is_set():
            try:
                status, final = _post(conn, headers, body)
            except (OSError, http.client.HTTPException):
                conn.close()  # reconnects on the next request
                status, final = "network", False
            tally.add(status, body["client_id"], final)
            if status in (200, 201) or final:
                break
            time.sleep(RESEND_S)
    conn.close()


def _wait(phase: str, done) -> None:
    deadline = _limit(phase)
    while not done():
        _check(phase, deadline)
        time.sleep(0.05)


def _accepting(url: str, deadline: float, ready: list[float]) -> None:
    """Append to READY when the database at URL first accepts a connection (polled every 20 ms)."""
    while time.monotonic() < deadline:
        try:
            psycopg.connect(_raw(url), connect_timeout=1).close()
        except psycopg.OperationalError:
            time.sleep(0.02)
            continue
        ready.append(time.monotonic())
        return


def _crash_and_restart(cluster, tally: Tally, result: FaultResult) -> tuple[float, float]:
    """Crash the database, leave it down DOWN_S, start it: (when the start was issued, when it
    first accepted a connection)."""
    deadline = _limit("停库与重启")
    cluster.down("immediate")
    result.before_crash = len(tally.acknowledged)
    time.sleep(DOWN_S)
    ready: list[float] = []
    prober = threading.Thread(target=_accepting, args=(cluster.settings.url_for(), deadline, ready))
    restart = time.monotonic()
    prober.start()
    cluster.up()
    prober.join()
    _check("停库与重启", deadline)
    result.start_s = ready[0] - restart
    return restart, ready[0]


def _load_and_crash(cluster, port: int, homes: list[int], result: FaultResult) -> Tally:
    """Run the phones, crash and restart the database mid-run; the tally of what they heard."""
    todo, tally, stop = queue.SimpleQueue(), Tally(), threading.Event()
    for k in range(VISITS):
        todo.put(
            {
                "client_id": str(uuid.uuid4()),
                "household_id": homes[k % len(homes)],
                "kind": "routine",
                "note": f"bench-fault-{k}",
            }
        )
    headers = _headers(port)
    phones = [threading.Thread(target=_phone, args=(port, headers, todo, tally, stop)) for _ in range(CLIENTS)]
    started = time.monotonic()
    for phone in phones:
        phone.start()
    try:
        _wait("崩溃前", lambda: len(tally.acknowledged) >= CRASH_AFTER)
        restart, ready = _crash_and_restart(cluster, tally, result)
        _wait("其余走访", lambda: not any(phone.is_alive() for phone in phones))
        after = [at for at in tally.acknowledged.values() if at > restart]
        result.recovery_s = max(0.0, min(after) - ready) if after else None
    finally:
        stop.set()
        for phone in phones:
            phone.join(REQUEST_TIMEOUT_S + 5)
        result.wall_s = time.monotonic() - started
    return tally


def _count(url: str, tally: Tally, result: FaultResult) -> None:
    """Compare what the phones were told with what the database holds."""
    with psycopg.connect(_raw(url)) as conn:
        rows = conn.execute(STORED_SQL).fetchall()
    stored = {client_id for client_id, _note in rows}
    notes = Counter(note for _client_id, note in rows)
    result.acknowledged = len(tally.acknowledged)
    result.lost = len(set(tally.acknowledged) - stored)
    result.duplicated = sum(n - 1 for n in notes.values())
    result.errors_500 = sum(
        n for status, n in tally.statuses.items() if status != "network" and status >= 500 and status != 503
    )
    result.answers_503 = tally.statuses[503]
    others = {status: n for status, n in tally.statuses.items() if status not in (200, 201, 503)}
    if others or tally.refused:
        result.other = f"；其他回答 {dict(others)}，最终拒绝 {tally.refused}"


def fault_benchmarks() -> list[FaultResult]:
    """The load-and-fault run on a cluster of its own, removed afterwards."""
    folder = get_settings().var_dir / "bench" / "faults"
    scratch_cluster(folder).remove()  # what an interrupted run left
    cluster, result = scratch_cluster(folder), FaultResult()
    env = {
        "GRIDMGMT_PG_PORT": str(cluster.settings.pg_port),
        "GRIDMGMT_VAR_DIR": str(folder),
        "GRIDMGMT_DATABASE_URL": "",
    }
    try:
        homes = _prepare(cluster, {**os.environ, **env})
        with Server("gridmgmt serve", [str(BIN / "gridmgmt"), "serve", "--port", "{port}"], env) as server:
            tally = _load_and_crash(cluster, server.port, homes, result)
        _count(cluster.settings.url_for(), tally, result)
    except PhaseTimeout as exc:
        result.failure = str(exc)
    finally:
        cluster.remove()
    return [result]


if __name__ == "__main__":
    for line in fault_benchmarks():
        print(line.line())
