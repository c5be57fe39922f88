"""What the model-calling nodes share within a process: settings, clock, pool, answer cache, built models.

Built on first use (never at import); tests swap in their own clock and store with `use_services`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graph.router.clock import Clock, SystemClock
from graph.router.pool import Deployment, Pool
from graph.router.store import StateStore, open_state_store
from graph.settings import Settings


@dataclass
class Services:
    settings: Settings
    clock: Clock
    pool: Pool
    answer_cache: Any = None
    _models: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # The first model call of a process lists the models (and imports the SDK) under this lock, alone.
    first_use_lock: threading.Lock = field(default_factory=threading.Lock)
    models_checked: bool = False

    @classmethod
    def create(
        cls, settings: Settings | None = None, *, clock: Clock | None = None, store: StateStore | None = None
    ) -> Services:
        """Nothing is opened here: the state store connects on first use."""
        settings = settings or Settings()
        clock = clock or SystemClock()
        store = store or open_state_store(settings)
        return cls(settings=settings, clock=clock, pool=Pool(settings, store, clock))

    def answers(self) -> Any:
        """The cache of validated model answers (graph.router.models.AnswerCache), on the state store, opened on
        first use."""
        if self.answer_cache is None:
            with self._lock:
                if self.answer_cache is None:
                    self.answer_cache = self.pool.store.answer_cache()
        return self.answer_cache

    def model(self, dep: Deployment) -> Any:
        """The chat model for a deployment, built once; the key is looked up here, at call time."""
        from graph.router.models import build_chat_model

        with self._lock:
            built = self._models.get((dep.key, dep.model))
            if built is None:
                key = self.settings.key_by_fingerprint(dep.key)
                if key is None:
                    raise LookupError(f"no key with fingerprint {dep.key}")
                built = build_chat_model(self.settings, key, dep.model)
                self._models[(dep.key, dep.model)] = built
            return built

    def secrets(self) -> list[str]:
        return [s.get_secret_value() for s in self.settings.gemini_api_keys]


_current: Services | None = None
_current_lock = threading.Lock()


def services() -> Services:
    global _current
    with _current_lock:
        if _current is None:
            _current = Services.create()
        return _current


@contextmanager
def use_services(replacement: Services) -> Iterator[Services]:
    global _current
    with _current_lock:
        previous, _current = _current, replacement
    try:
        yield replacement
    finally:
        with _current_lock:
            _current = previous
