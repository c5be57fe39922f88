"""The deployment pool: which (key, model) pairs can take a request now, and what each failure costs.

A deployment is (key fingerprint, model); a bucket is (Google Cloud project, model), because quota is
per project. The state lives in a StateStore (graph/router/store.py) shared by every process that opens it —
SQLite in MIANJING_HOME, or PostgreSQL — and every decision reads it as it is now: a bucket another
process filled or found exhausted is full here too. Every expiry is an absolute time, so the next run does
not hammer a bucket known to be empty or a model known to be gone. Keys are only ever fingerprints here.

What stays in this process: which buckets have answered (`_proven`) and their requests in flight, so a
bucket's first request probes alone among this process's workers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from graph.router.clock import Clock
from graph.router.failures import Failure
from graph.router.store import State, StateStore
from graph.settings import Settings

PACIFIC = ZoneInfo("America/Los_Angeles")
DEAD_MODEL_TTL_S = 24 * 3600
DISABLED_KEY_TTL_S = 7 * 24 * 3600
MODEL_LIST_TTL_S = 24 * 3600
DEFAULT_MINUTE_COOLDOWN_S = 60.0
# An endpoint that hangs or refuses connections is left alone for a short while, across posts and runs:
# every post would otherwise pay a full timeout (or a connection error) before going offline.
ENDPOINT_COOLDOWN_S = {"hanging": 120.0, "unreachable": 60.0}
DEFAULT_ENDPOINT = "https://generativelanguage.googleapis.com"
# Our clock stamps a request before the server does; a second of margin keeps the window honest.
WINDOW_MARGIN_S = 1.0


@dataclass(frozen=True)
class Deployment:
    key: str  # fingerprint
    model: str
    project: str

    @property
    def bucket(self) -> str:
        return f"{self.project}|{self.model}"

    def to_dict(self) -> dict:
        return {"key": self.key, "model": self.model, "project": self.project}


def next_pacific_midnight(now: float) -> float:
    """Gemini's per-day quotas reset at midnight America/Los_Angeles."""
    local = datetime.fromtimestamp(now, PACIFIC)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return tomorrow.timestamp()


def pacific_day(now: float) -> str:
    return datetime.fromtimestamp(now, PACIFIC).date().isoformat()


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def _expired(entry: dict | None, now: float) -> bool:
    return entry is None or float(entry.get("until", 0)) <= now


def _usage(state: State, bucket: str, now: float) -> dict:
    """A bucket's counts as of now: today's requests, and the stamps of those in the last minute."""
    usage = state["usage"].get(bucket) or {}
    day = pacific_day(now)
    return {
        "day": day,
        "day_count": usage.get("day_count", 0) if usage.get("day") == day else 0,
        "minute": [t for t in usage.get("minute", []) if t > now - 60],
    }


class Pool:
    def __init__(self, settings: Settings, store: StateStore, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self._lock = threading.RLock()
        # Signalled when a bucket's first request (its probe) comes back: workers waiting on it go on.
        self._probe_done = threading.Condition(self._lock)
        self._announced: set[str] = set()
        self._in_flight: dict[str, int] = {}
        self._proven: set[str] = set()
        self.sent = 0  # requests really sent by this process

    @property
    def endpoint(self) -> str:
        return (self.settings.gemini_base_url or DEFAULT_ENDPOINT).rstrip("/")

    @property
    def state(self) -> State:
        """The shared state as it is now (a copy): {section: {name: entry}}."""
        return self.store.snapshot()

    # ------------------------------------------------------------------ reading

    def deployments(self, models: list[str]) -> list[Deployment]:
        """Best model first, across every key: quota is per (project, model), so the next key of the same
        model is often a fresh bucket."""
        fps = self.settings.fingerprints()
        return [Deployment(fp, m, self.settings.project_of(fp)) for m in models for fp in fps]

    def model_dead(self, model: str, now: float | None = None, state: State | None = None) -> bool:
        state = self.state if state is None else state
        return not _expired(state["dead_models"].get(model), self.clock.now() if now is None else now)

    def key_disabled(self, fp: str, now: float | None = None, state: State | None = None) -> bool:
        state = self.state if state is None else state
        return not _expired(state["disabled_keys"].get(fp), self.clock.now() if now is None else now)

    def free_at(self, dep: Deployment, now: float | None = None, state: State | None = None) -> float | None:
        """When this deployment can take a request: now or later; None if not in this run (dead, disabled)."""
        now = self.clock.now() if now is None else now
        state = self.state if state is None else state
        if self.model_dead(dep.model, now, state) or self.key_disabled(dep.key, now, state):
            return None
        at = now
        down = state["endpoints"].get(self.endpoint)
        if not _expired(down, now):
            at = max(at, float(down["until"]))
        cooldown = state["cooldowns"].get(dep.bucket)
        if not _expired(cooldown, now):
            at = max(at, float(cooldown["until"]))
        rpm, rpd = self.settings.limits(dep.model)
        usage = _usage(state, dep.bucket, now)
        if usage["day_count"] >= rpd:
            at = max(at, next_pacific_midnight(now))
        if len(usage["minute"]) >= rpm:
            # Proactive: the oldest request in the window leaves it 60 s after it was sent.
            at = max(at, sorted(usage["minute"])[-rpm] + 60 + WINDOW_MARGIN_S)
        return at

    def _allowed(self, dep: Deployment, exclude: set[str] | None) -> bool:
        return not (exclude and (self.dep_id(dep) in exclude or f"*|{dep.model}" in exclude))

    def choose(self, models: list[str], exclude: set[str] | None = None) -> Deployment | None:
        """The best model that can take a request right now, on its least used deployment: keys of equal
        standing share the load instead of the first key taking every call."""
        now = self.clock.now()
        state = self.state
        for model in models:
            free = [
                dep
                for dep in self.deployments([model])
                if self._allowed(dep, exclude) and (at := self.free_at(dep, now, state)) is not None and at <= now
            ]
            if free:
                return min(free, key=lambda dep: self._load(dep, now, state))
        return None

    def _load(self, dep: Deployment, now: float, state: State) -> tuple[int, int, int]:
        usage = _usage(state, dep.bucket, now)
        return self._in_flight.get(dep.bucket, 0), len(usage["minute"]), usage["day_count"]

    def next_free(self, models: list[str], exclude: set[str] | None = None) -> float | None:
        """The earliest time any allowed deployment frees up; None if none ever will in this run."""
        now = self.clock.now()
        state = self.state
        times = [
            at
            for dep in self.deployments(models)
            if self._allowed(dep, exclude) and (at := self.free_at(dep, now, state)) is not None
        ]
        return min(times) if times else None

    @staticmethod
    def dep_id(dep: Deployment) -> str:
        return f"{dep.key}|{dep.model}"

    # ------------------------------------------------------------------ writing

    def take_slot(self, dep: Deployment, *, probe_wait_s: float = 0.0) -> float:
        """Count a request about to be sent, if its bucket has room; else how long until it has (nothing
        is counted). The check against the shared counts and the count are one store transaction, so
        concurrent workers — in this process or any other on the store — cannot both take the last slot.

        A bucket not yet known to answer takes one request at a time: concurrent workers wait (up to
        `probe_wait_s`) for that first answer, so a bucket that turns out exhausted, or a key that turns
        out refused, costs one request and not one per worker. Pair every 0 returned with `release`."""
        with self._lock:
            waited = False
            while dep.bucket not in self._proven and self._in_flight.get(dep.bucket, 0) > 0:
                if waited or probe_wait_s <= 0:
                    return 0.5
                waited = True
                self._probe_done.wait(probe_wait_s)
            now = self.clock.now()
            rpm, _rpd = self.settings.limits(dep.model)

            def reserve(state: State) -> tuple[float | None, dict | None]:
                at = self.free_at(dep, now, state)
                if at is None or at > now:
                    return at, None
                usage = _usage(state, dep.bucket, now)
                # The newest `rpm` stamps are all the window check reads.
                usage["minute"] = [*usage["minute"], now][-rpm:]
                usage["day_count"] += 1
                return now, usage

            at = self.store.transact("usage", dep.bucket, reserve)
            if at is None or at > now:
                return (at - now) if at is not None else float("inf")
            self._in_flight[dep.bucket] = self._in_flight.get(dep.bucket, 0) + 1
            self.sent += 1
            return 0.0

    def release(self, dep: Deployment, *, answered: bool, reached: bool = True) -> None:
        """The request taken with `take_slot` is over. `answered`: the bucket works (its probe passed);
        `reached` False: it never got to the server (connection refused, DNS), so it costs no quota."""
        with self._lock:
            self._in_flight[dep.bucket] = max(0, self._in_flight.get(dep.bucket, 0) - 1)
            if answered:
                self._proven.add(dep.bucket)
            if not reached:
                self._give_back(dep, self.clock.now())
                self.sent = max(0, self.sent - 1)
            self._probe_done.notify_all()

    def _give_back(self, dep: Deployment, now: float) -> None:
        def give_back(state: State) -> tuple[None, dict]:
            usage = _usage(state, dep.bucket, now)
            if usage["minute"]:
                usage["minute"].remove(max(usage["minute"]))
            usage["day_count"] = max(0, usage["day_count"] - 1)
            return None, usage

        self.store.transact("usage", dep.bucket, give_back)

    def endpoint_down(self, kind: str, detail: str = "") -> float:
        """Remember that the endpoint hangs or is unreachable; return until when it is left alone."""
        until = self.clock.now() + ENDPOINT_COOLDOWN_S[kind]
        self.store.put("endpoints", {self.endpoint: {"until": until, "reason": kind, "detail": detail}})
        return until

    def endpoint_status(self) -> dict | None:
        """{'until', 'reason'} while the endpoint is left alone, else None."""
        down = self.state["endpoints"].get(self.endpoint)
        return None if _expired(down, self.clock.now()) else down

    def record_failure(self, dep: Deployment, failure: Failure) -> str:
        """Apply the policy row for this failure; return the decision in words."""
        now = self.clock.now()
        if failure.kind in ("per_day", "per_minute"):
            # A refused request consumed no quota: give its slot in the window back.
            self._give_back(dep, now)
            with self._lock:
                self._proven.discard(dep.bucket)
        if failure.kind == "per_day":
            until = next_pacific_midnight(now)
            self.store.put("cooldowns", {dep.bucket: {"until": until, "reason": "per-day quota"}})
            return f"bucket {dep.project}/{dep.model} out until {iso(until)} (per-day quota; retryDelay ignored)"
        if failure.kind == "per_minute":
            delay = failure.retry_delay_s or DEFAULT_MINUTE_COOLDOWN_S
            self.store.put("cooldowns", {dep.bucket: {"until": now + delay, "reason": "per-minute quota"}})
            return f"bucket {dep.project}/{dep.model} cooling for {delay:g} s (per-minute quota)"
        if failure.kind == "not_found":
            self.store.put("dead_models", {dep.model: {"until": now + DEAD_MODEL_TTL_S, "reason": failure.label}})
            return f"model {dep.model} is gone for every key; not tried again"
        if failure.kind == "bad_key":
            self.store.put("disabled_keys", {dep.key: {"until": now + DISABLED_KEY_TTL_S, "reason": failure.label}})
            return f"key {dep.key} disabled ({failure.reason or failure.status})"
        return "no penalty on the key"

    def announce_once(self, message_id: str) -> bool:
        """True the first time: say a key was disabled once per process, not on every hop."""
        with self._lock:
            if message_id in self._announced:
                return False
            self._announced.add(message_id)
            return True

    def mark_unlisted(self, models: list[str], listed: set[str]) -> list[str]:
        """Models the ladder names that ListModels does not know: dead before any request is spent."""
        until = self.clock.now() + DEAD_MODEL_TTL_S
        dropped = [m for m in models if m not in listed]
        self.store.put("dead_models", {m: {"until": until, "reason": "not in ListModels"} for m in dropped})
        return dropped

    def listed_models(self, fp: str) -> set[str] | None:
        entry = self.state["listed_models"].get(self.settings.project_of(fp))
        if entry and float(entry.get("at", 0)) > self.clock.now() - MODEL_LIST_TTL_S:
            return set(entry.get("models", []))
        return None

    def remember_listing(self, fp: str, models: set[str]) -> None:
        entry = {"at": self.clock.now(), "models": sorted(models)}
        self.store.put("listed_models", {self.settings.project_of(fp): entry})

    def reset(self) -> None:
        """Forget cooldowns, dead models, disabled keys, endpoint trouble and model listings, for every
        process on the store. The request counts stay: they are what was really sent."""
        self.store.reset(keep=("usage",))
        with self._lock:
            self._proven.clear()

    # ------------------------------------------------------------------ reporting

    def health(self, models: list[str]) -> list[dict]:
        """Per key fingerprint and model: ok / cooling until / dead / disabled, and today's requests."""
        now = self.clock.now()
        state = self.state
        down = state["endpoints"].get(self.endpoint)
        rows = []
        for dep in self.deployments(models):
            _rpm, rpd = self.settings.limits(dep.model)
            usage = _usage(state, dep.bucket, now)
            if self.model_dead(dep.model, now, state):
                status = f"dead ({state['dead_models'][dep.model].get('reason', '')})"
            elif self.key_disabled(dep.key, now, state):
                status = f"disabled ({state['disabled_keys'][dep.key].get('reason', '')})"
            elif not _expired(down, now):
                status = f"endpoint {down['reason']} until {iso(float(down['until']))}"
            else:
                at = self.free_at(dep, now, state)
                status = "ok" if at is not None and at <= now else f"cooling until {iso(at or now)}"
            rows.append(
                {
                    "key": dep.key,
                    "project": dep.project,
                    "model": dep.model,
                    "status": status,
                    "today": f"{usage['day_count']}/{rpd}",
                }
            )
        return rows
