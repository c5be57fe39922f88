from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from graph.failures import Failure
from graph.pool import Deployment, Pool, next_pacific_midnight
from graph.settings import Settings
from graph.store import JsonFileStore, MemoryStore
from tests.gemini_helpers import FP_A, FP_B, KEY_A, KEY_B, FakeClock

LA = ZoneInfo("America/Los_Angeles")


def make_pool(clock: FakeClock, store=None, **settings) -> Pool:
    config = Settings(gemini_api_keys=[KEY_A, KEY_B], gemini_models=["m1", "m2"], **settings)
    return Pool(config, store or MemoryStore(), clock)


def test_per_day_reset_is_midnight_in_los_angeles() -> None:
    ten_pm = datetime(2026, 11, 29, 22, 0, tzinfo=LA).timestamp()
    assert datetime.fromtimestamp(next_pacific_midnight(ten_pm), LA) == datetime(2026, 11, 30, 0, 0, tzinfo=LA)


def test_ladder_is_best_model_first_across_keys() -> None:
    pool = make_pool(FakeClock())
    assert [(d.key, d.model) for d in pool.deployments(["m1", "m2"])] == [
        (FP_A, "m1"),
        (FP_B, "m1"),
        (FP_A, "m2"),
        (FP_B, "m2"),
    ]


def test_failures_cost_what_the_policy_says() -> None:
    clock = FakeClock()
    pool = make_pool(clock)
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


def test_disabled_key_and_dead_model_expire() -> None:
    clock = FakeClock()
    pool = make_pool(clock)
    pool.record_failure(Deployment(FP_A, "m1", FP_A), Failure("bad_key", 400, "API_KEY_INVALID"))
    assert pool.key_disabled(FP_A)
    clock.sleep(8 * 24 * 3600)
    assert not pool.key_disabled(FP_A)


def test_requests_per_minute_are_limited_before_gemini_refuses_them() -> None:
    clock = FakeClock()
    pool = make_pool(clock, gemini_rpm=2)
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


def test_a_bucket_not_yet_known_to_answer_takes_one_request_at_a_time() -> None:
    pool = make_pool(FakeClock())
    dep = Deployment(FP_A, "m1", FP_A)
    assert pool.take_slot(dep) == 0
    assert pool.take_slot(dep) > 0  # the probe is in flight: nothing is counted
    assert pool.sent == 1
    pool.release(dep, answered=True)
    assert pool.take_slot(dep) == 0 and pool.take_slot(dep) == 0  # it answers: concurrency opens
    assert pool.sent == 3


def test_a_request_that_never_reached_gemini_costs_no_quota() -> None:
    pool = make_pool(FakeClock())
    dep = Deployment(FP_A, "m1", FP_A)
    assert pool.take_slot(dep) == 0
    pool.release(dep, answered=False, reached=False)
    assert pool.sent == 0 and pool.state["usage"][dep.bucket]["day_count"] == 0


def test_equally_good_keys_are_chosen_least_used_first() -> None:
    pool = make_pool(FakeClock())
    chosen = []
    for _ in range(4):
        dep = pool.choose(["m1"])
        chosen.append(dep.key)
        pool.take_slot(dep)
        pool.release(dep, answered=True)
    assert chosen == [FP_A, FP_B, FP_A, FP_B]


def test_a_hanging_endpoint_is_left_alone_for_a_while_and_shown() -> None:
    clock = FakeClock()
    pool = make_pool(clock)
    until = pool.endpoint_down("hanging", "ReadTimeout")
    assert until == clock.now() + 120
    assert pool.choose(["m1", "m2"]) is None and pool.next_free(["m1"]) == until
    assert all(r["status"].startswith("endpoint hanging until") for r in pool.health(["m1"]))
    clock.sleep(121)
    assert pool.choose(["m1"]) is not None and pool.endpoint_status() is None


def test_requests_per_day_are_limited_until_midnight() -> None:
    clock = FakeClock()
    pool = make_pool(clock, gemini_rpd=1, gemini_rpm=100)
    dep = Deployment(FP_A, "m1", FP_A)
    pool.take_slot(dep)
    assert pool.free_at(dep) == next_pacific_midnight(clock.now())


def test_state_persists_with_absolute_times(tmp_path: Path) -> None:
    clock = FakeClock()
    store = JsonFileStore(tmp_path / "pool.json")
    make_pool(clock, store).record_failure(Deployment(FP_A, "m1", FP_A), Failure("per_day", 429, "RESOURCE_EXHAUSTED"))
    again = make_pool(clock, JsonFileStore(tmp_path / "pool.json"))
    assert again.choose(["m1"]).key == FP_B
    assert KEY_A not in (tmp_path / "pool.json").read_text(encoding="utf-8")


def test_a_corrupt_state_file_is_a_fresh_start(tmp_path: Path) -> None:
    (tmp_path / "pool.json").write_text("{not json", encoding="utf-8")
    assert make_pool(FakeClock(), JsonFileStore(tmp_path / "pool.json")).choose(["m1"]).key == FP_A


def test_health_never_shows_a_key() -> None:
    rows = make_pool(FakeClock()).health(["m1"])
    assert [r["status"] for r in rows] == ["ok", "ok"]
    assert KEY_A not in str(rows) and FP_A in str(rows)
