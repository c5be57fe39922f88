"""The pool's policy and its shared state, on both backends: SQLite (the default) and PostgreSQL."""

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from graph.errors import ConfigError
from graph.router.failures import Failure
from graph.router.pool import Deployment, Pool, next_pacific_midnight
from graph.router.store import PostgresStateStore, SqliteStateStore, StateStore
from graph.settings import Settings
from tests.gemini_helpers import FP_A, FP_B, KEY_A, KEY_B, FakeClock

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], StateStore]]:
    """Opens the test's store: each call is a new connection to the same state, as another process's."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    opened: list[StateStore] = []

    def open_one() -> StateStore:
        opened.append(PostgresStateStore(url) if url else SqliteStateStore(tmp_path / "state.sqlite"))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], StateStore]) -> StateStore:
    return open_store()


def make_pool(clock: FakeClock, store: StateStore, **settings) -> Pool:
    config = Settings(gemini_api_keys=[KEY_A, KEY_B], gemini_models=["m1", "m2"], **settings)
    return Pool(config, store, clock)


def test_per_day_reset_is_midnight_in_los_angeles() -> None:
    ten_pm = datetime(2026, 11, 29, 22, 0, tzinfo=LA).timestamp()
    assert datetime.fromtimestamp(next_pacific_midnight(ten_pm), LA) == datetime(2026, 11, 30, 0, 0, tzinfo=LA)


def test_ladder_is_best_model_first_across_keys(store: StateStore) -> None:
    pool = make_pool(FakeClock(), store)
    assert [(d.key, d.model) for d in pool.deployments(["m1", "m2"])] == [
        (FP_A, "m1"),
        (FP_B, "m1"),
        (FP_A, "m2"),
        (FP_B, "m2"),
    ]


def test_failures_cost_what_the_policy_says(store: StateStore) -> None:
    clock = FakeClock()
    pool = make_pool(clock, store)
    a1, b1 = Deployment(FP_A, "m1", FP_A), Deployment(FP_B, "m1", FP_B)
    pool.record_failure(a1, Failure("per_day", 429, "RESOURCE_EXHAUSTED", 36.0))
    assert pool.choose(["m1"]) == b1
    assert pool.free_at(a1) == next_pacific_midnight(clock.now())
    pool.record_failure(b1, Failure("per_minute", 429, "RESOURCE_EXHAUSTED", 7.0))
    assert pool.choose(["m1"]) is None and pool.next_free(["m1"]) == clock.now() + 7
    pool.record_failure(Deployment(FP_A, "m2", FP_A), Failure("not_found", 404, "NOT_FOUND"))
    assert pool.choose(["m2"]) is None and pool.next_free(["m2"]) is None
    pool.record_failure(b1, Failure("server", 503, "UNAVAILABLE"))
    assert pool.state["disabled_keys"] == {}


def test_disabled_key_and_dead_model_expire(store: StateStore) -> None:
    clock = FakeClock()
    pool = make_pool(clock, store)
    pool.record_failure(Deployment(FP_A, "m1", FP_A), Failure("bad_key", 400, "API_KEY_INVALID"))
    assert pool.key_disabled(FP_A)
    clock.sleep(8 * 24 * 3600)
    assert not pool.key_disabled(FP_A)


def test_requests_per_minute_are_limited_before_gemini_refuses_them(store: StateStore) -> None:
    clock = FakeClock()
    pool = make_pool(clock, store, gemini_rpm=2)
    dep = Deployment(FP_A, "m1", FP_A)
    assert pool.take_slot(dep) == 0
    pool.release(dep, answered=True)
    assert pool.take_slot(dep) == 0
    pool.release(dep, answered=True)
    wait = pool.take_slot(dep)
    assert 60 <= wait <= 61
    assert pool.sent == 2
    clock.sleep(wait)
    assert pool.take_slot(dep) == 0


def test_a_bucket_not_yet_known_to_answer_takes_one_request_at_a_time(store: StateStore) -> None:
    pool = make_pool(FakeClock(), store)
    dep = Deployment(FP_A, "m1", FP_A)
    assert pool.take_slot(dep) == 0
    assert pool.take_slot(dep) > 0  # the probe is in flight: nothing is counted
    assert pool.sent == 1
    pool.release(dep, answered=True)
    assert pool.take_slot(dep) == 0 and pool.take_slot(dep) == 0  # it answers: concurrency opens
    assert pool.sent == 3


def test_a_request_that_never_reached_gemini_costs_no_quota(store: StateStore) -> None:
    pool = make_pool(FakeClock(), store)
    dep = Deployment(FP_A, "m1", FP_A)
    assert pool.take_slot(dep) == 0
    pool.release(dep, answered=False, reached=False)
    assert pool.sent == 0 and pool.state["usage"][dep.bucket]["day_count"] == 0


def test_equally_good_keys_are_chosen_least_used_first(store: StateStore) -> None:
    pool = make_pool(FakeClock(), store)
    chosen = []
    for _ in range(4):
        dep = pool.choose(["m1"])
        chosen.append(dep.key)
        pool.take_slot(dep)
        pool.release(dep, answered=True)
    assert chosen == [FP_A, FP_B, FP_A, FP_B]


def test_a_hanging_endpoint_is_left_alone_for_a_while_and_shown(store: StateStore) -> None:
    clock = FakeClock()
    pool = make_pool(clock, store)
    until = pool.endpoint_down("hanging", "ReadTimeout")
    assert until == clock.now() + 120
    assert pool.choose(["m1", "m2"]) is None and pool.next_free(["m1"]) == until
    assert all(r["status"].startswith("endpoint hanging until") for r in pool.health(["m1"]))
    clock.sleep(121)
    assert pool.choose(["m1"]) is not None and pool.endpoint_status() is None


def test_requests_per_day_are_limited_until_midnight(store: StateStore) -> None:
    clock = FakeClock()
    pool = make_pool(clock, store, gemini_rpd=1, gemini_rpm=100)
    dep = Deployment(FP_A, "m1", FP_A)
    pool.take_slot(dep)
    assert pool.free_at(dep) == next_pacific_midnight(clock.now())


def test_state_persists_with_absolute_times(open_store: Callable[[], StateStore]) -> None:
    clock = FakeClock()
    store = open_store()
    make_pool(clock, store).record_failure(Deployment(FP_A, "m1", FP_A), Failure("per_day", 429, "RESOURCE_EXHAUSTED"))
    again = make_pool(clock, open_store())
    assert again.choose(["m1"]).key == FP_B
    assert KEY_A not in str(again.state)


def test_processes_on_one_store_see_each_others_counts_and_cooldowns(open_store: Callable[[], StateStore]) -> None:
    clock = FakeClock()
    first, second = make_pool(clock, open_store(), gemini_rpm=2), make_pool(clock, open_store(), gemini_rpm=2)
    dep = Deployment(FP_A, "m1", FP_A)
    for pool in (first, second):
        assert pool.take_slot(dep) == 0
        pool.release(dep, answered=True)
    # Each pool sent one request; together they filled the bucket, and each sees it full.
    assert first.take_slot(dep) > 0 and second.take_slot(dep) > 0
    assert first.choose(["m1"]) == Deployment(FP_B, "m1", FP_B)
    second.record_failure(Deployment(FP_B, "m1", FP_B), Failure("per_day", 429, "RESOURCE_EXHAUSTED"))
    assert first.choose(["m1"]) is None
    second.endpoint_down("unreachable", "ConnectError")
    assert first.endpoint_status()["reason"] == "unreachable"
    first.reset()
    assert second.endpoint_status() is None and second.choose(["m1"]) == Deployment(FP_B, "m1", FP_B)
    assert second.state["usage"][dep.bucket]["day_count"] == 2, "a reset forgets judgements, not requests sent"


def test_while_a_slot_is_reserved_no_other_connection_can_write_its_bucket(
    request: pytest.FixtureRequest, open_store: Callable[[], StateStore], tmp_path: Path
) -> None:
    """The check and the count are one transaction: a second process reserving the same bucket waits for
    it to commit (here it gives up after 0.1 s, so the test need not wait)."""
    if "postgres" in request.node.callspec.id:
        other: StateStore = PostgresStateStore(request.getfixturevalue("postgres_url") + "%20-clock_timeout%3D100")
    else:
        other = SqliteStateStore(tmp_path / "state.sqlite", busy_timeout_s=0.1)
    store = open_store()
    other.snapshot()
    seen: list[str] = []

    def reserve(state: dict) -> tuple[None, dict]:
        with pytest.raises(ConfigError) as refused:
            other.transact("usage", "p|m1", lambda _state: (None, {"day": "d", "day_count": 9, "minute": []}))
        seen.append(str(refused.value))
        return None, {"day": "d", "day_count": 1, "minute": []}

    try:
        store.transact("usage", "p|m1", reserve)
    finally:
        other.close()
    assert "lock" in seen[0]
    assert store.snapshot()["usage"]["p|m1"]["day_count"] == 1


def test_reserving_a_slot_is_atomic_across_connections(open_store: Callable[[], StateStore]) -> None:
    """Eight workers, each on its own connection (as eight processes would be), race for seven slots."""
    clock = FakeClock()
    dep = Deployment(FP_A, "m1", FP_A)
    pools = [make_pool(clock, open_store(), gemini_rpm=7, gemini_rpd=1000) for _ in range(8)]
    for pool in pools:
        pool._proven.add(dep.bucket)  # past the probe: only the shared counts stand in the way
    taken: list[int] = []
    start = threading.Barrier(len(pools))

    def work(pool: Pool) -> None:
        start.wait()
        taken.extend(1 for _ in range(5) if pool.take_slot(dep) == 0)

    threads = [threading.Thread(target=work, args=(pool,)) for pool in pools]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 7
    assert pools[0].state["usage"][dep.bucket]["day_count"] == 7


def test_health_never_shows_a_key(store: StateStore) -> None:
    rows = make_pool(FakeClock(), store).health(["m1"])
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert KEY_A not in str(rows) and FP_A in str(rows)


def test_a_dropped_postgresql_connection_is_opened_again(postgres_url: str) -> None:
    """A server restart or failover closes the connection: the next operation opens a new one."""
    import psycopg

    store = PostgresStateStore(postgres_url)
    try:
        store.put("endpoints", {"e": {"until": 1.0, "reason": "hanging"}})
        pid = store._db.info.backend_pid
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert store.snapshot()["endpoints"]["e"]["reason"] == "hanging"
        assert store._db.info.backend_pid != pid
    finally:
        store.close()


def test_a_damaged_row_is_a_clear_error_not_an_empty_pool(store: StateStore) -> None:
    store.put("cooldowns", {"p|m1": {"until": 2e9, "reason": "per-day quota"}})
    store._run(lambda db: db.execute("INSERT INTO mianjing_pool VALUES ('disabled_keys', 'key-1', '{\"until\": ')"))
    with pytest.raises(ConfigError, match=r"is damaged \(the disabled_keys row 'key-1' is not JSON\): (move|drop)"):
        store.snapshot()


def test_pool_json_is_migrated_once_and_only_when_it_can_be(
    open_store: Callable[[], StateStore], tmp_path: Path
) -> None:
    legacy = tmp_path / "pool.json"

    def with_legacy() -> StateStore:
        store = open_store()
        store.legacy_json = legacy  # type: ignore[attr-defined]
        return store

    legacy.write_text('{"dead_models": {"m2": {"until": 2e9, "reason": "404"}}, "usage": {"p|m1": ', encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be migrated: it is not valid JSON"):
        with_legacy().open()
    legacy.write_text('{"dead_models": {"m2": {"until": 2e9, "reason": "404"}}}', encoding="utf-8")
    store = with_legacy()
    store.put("dead_models", {"m3": {"until": 2e9, "reason": "404"}})  # the first use migrates, then writes
    assert sorted(store.snapshot()["dead_models"]) == ["m2", "m3"]
    assert not legacy.exists() and legacy.with_name("pool.json.migrated").exists()
