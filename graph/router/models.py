"""Models are built here and nowhere else, with one retry loop (the router's); and the cache of their answers."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from langchain_google_genai import ChatGoogleGenerativeAI
    from langgraph.cache.base import BaseCache as GraphCache

    from graph.settings import Settings

_NAMESPACE = ("mianjing", "answers")


@cache
def json_schema(schema: type[BaseModel]) -> dict:
    """The response schema sent with every request of a kind: built once (a reading's takes ~15 ms)."""
    return schema.model_json_schema()


def open_answer_store(path: str) -> GraphCache:
    """LangGraph's SqliteCache (WAL already), told not to wait for the disk on every commit: a cache may
    lose its last answers to a power cut, never its consistency, and each answer stored costs no fsync."""
    from langgraph.cache.sqlite import SqliteCache

    store = SqliteCache(path=path)
    connection = getattr(store, "_conn", None)
    if connection is not None:
        connection.execute("PRAGMA synchronous=NORMAL")
    return store


class AnswerCache:
    """Schema-valid answers, stored in LangGraph's SqliteCache (or, on PostgreSQL, the state store's table)
    under a key of what was asked.

    The key is the request kind, the response schema and the prompts, and nothing else: not the model, the
    key or the endpoint, so a re-run of the same post costs no request whichever deployment is free. Only
    answers that parsed and validated are stored; a truncated or refused one is asked again next time.
    `rebuild`, given the error a damaged cache raised, returns a new empty one: the cache holds nothing
    that cannot be asked again, so damage costs requests, never the run.
    """

    def __init__(
        self,
        store: GraphCache,
        ttl_s: int | None = 30 * 24 * 3600,
        rebuild: Callable[[BaseException], GraphCache] | None = None,
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.rebuild = rebuild
        self._lock = threading.Lock()

    @staticmethod
    def key(kind: str, schema: type[BaseModel], prompts: list[str]) -> tuple[tuple[str, ...], str]:
        material = json.dumps([kind, json_schema(schema), prompts], ensure_ascii=False, sort_keys=True)
        return _NAMESPACE, hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _use(self, op: Callable[[GraphCache], Any]) -> Any:
        store = self.store
        try:
            return op(store)
        except sqlite3.OperationalError:
            raise  # locked, read-only, disk full: not damage, nothing to rebuild
        except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
            if self.rebuild is None:
                raise
            with self._lock:
                if self.store is store:  # the first thread to see the damage rebuilds; the others reuse it
                    self.store = self.rebuild(exc)
            return op(self.store)

    def get(self, key: tuple[tuple[str, ...], str]) -> dict | None:
        value = self._use(lambda store: store.get([key]).get(key))
        return value if isinstance(value, dict) else None

    def set(self, key: tuple[tuple[str, ...], str], answer: dict) -> None:
        self._use(lambda store: store.set({key: (answer, self.ttl_s)}))

    def clear(self) -> None:
        self._use(lambda store: store.clear())


def build_chat_model(settings: Settings, key: str, model: str) -> ChatGoogleGenerativeAI:
    from langchain_google_genai import ChatGoogleGenerativeAI

    return ChatGoogleGenerativeAI(
        model=model,
        api_key=key,
        base_url=settings.gemini_base_url,
        api_version=settings.gemini_api_version,
        # One attempt per call: the router is the only retry loop (the SDK's default is 6 blind attempts).
        max_retries=1,
        timeout=settings.request_timeout_s,  # each call passes its own, cut to the deadline
        temperature=0.2,
        # Answers are cached by the caller once validated (AnswerCache); LangChain's cache would keep
        # unparseable ones and key them by endpoint.
        cache=False,
    )


def list_models(settings: Settings, key: str, timeout_s: float | None = None) -> set[str]:
    """ListModels through the SDK, one attempt; names without the 'models/' prefix."""
    from google import genai
    from google.genai import types

    options = types.HttpOptions(
        base_url=settings.gemini_base_url,
        api_version=settings.gemini_api_version,
        timeout=int((timeout_s or settings.request_timeout_s) * 1000),
        retry_options=types.HttpRetryOptions(attempts=1),
    )
    client = genai.Client(api_key=key, http_options=options)
    try:
        return {m.name.removeprefix("models/") for m in client.models.list(config={"page_size": 100}) if m.name}
    finally:
        client.close()
