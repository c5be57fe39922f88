"""Models are built here and nowhere else: one retry loop (the router's), one cache, one rate limiter."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from langchain_core.caches import BaseCache as LLMCache
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration
from langchain_core.rate_limiters import BaseRateLimiter

if TYPE_CHECKING:
    from langchain_google_genai import ChatGoogleGenerativeAI
    from langgraph.cache.base import BaseCache as GraphCache

    from graph.pool import Deployment, Pool
    from graph.settings import Settings

_NAMESPACE = ("mianjing", "llm")


class GraphBackedLLMCache(LLMCache):
    """LangChain's LLM-cache hook, stored in LangGraph's SqliteCache.

    Only the answer text and its metadata are stored (never the request, so never a key); a repeated run
    of the same post costs no request.
    """

    def __init__(self, store: GraphCache, ttl_s: int | None = 30 * 24 * 3600) -> None:
        self.store = store
        self.ttl_s = ttl_s

    @staticmethod
    def _key(prompt: str, llm_string: str) -> tuple[tuple[str, ...], str]:
        return _NAMESPACE, hashlib.sha256(f"{llm_string}\x00{prompt}".encode()).hexdigest()

    def lookup(self, prompt: str, llm_string: str) -> list[ChatGeneration] | None:
        key = self._key(prompt, llm_string)
        value = self.store.get([key]).get(key)
        if not value:
            return None
        return [
            ChatGeneration(message=AIMessage(content=item["text"], response_metadata=item.get("metadata", {})))
            for item in value
        ]

    def update(self, prompt: str, llm_string: str, return_val: Any) -> None:
        items = [
            {"text": gen.text, "metadata": dict(getattr(getattr(gen, "message", None), "response_metadata", {}) or {})}
            for gen in return_val
        ]
        # An empty or refused answer is not worth keeping: the next run should ask again.
        if items and all(item["text"].strip() for item in items):
            self.store.set({self._key(prompt, llm_string): (items, self.ttl_s)})

    def clear(self, **kwargs: Any) -> None:
        self.store.clear([_NAMESPACE])


class LocalLimitReached(Exception):
    """Another worker took the bucket's last slot between choose() and send: nothing was sent."""

    def __init__(self, free_in_s: float) -> None:
        super().__init__(f"the bucket's limit is reached for {free_in_s:.1f} s")
        self.free_in_s = free_in_s


class BucketLimiter(BaseRateLimiter):
    """LangChain calls a rate limiter only for requests it really sends (after the cache lookup), so this is
    where each request is checked and counted against its bucket, atomically, for concurrent batches."""

    def __init__(self, pool: Pool, deployment: Deployment) -> None:
        self.pool = pool
        self.deployment = deployment

    def acquire(self, *, blocking: bool = True) -> bool:
        wait = self.pool.take_slot(self.deployment)
        if wait > 0:
            raise LocalLimitReached(wait)
        return True

    async def aacquire(self, *, blocking: bool = True) -> bool:
        return self.acquire(blocking=blocking)


def build_chat_model(
    settings: Settings, key: str, model: str, *, cache: LLMCache | None, rate_limiter: BaseRateLimiter | None
) -> ChatGoogleGenerativeAI:
    from langchain_google_genai import ChatGoogleGenerativeAI

    return ChatGoogleGenerativeAI(
        model=model,
        api_key=key,
        base_url=settings.gemini_base_url,
        api_version=settings.gemini_api_version,
        # One attempt per call: the router is the only retry loop (the SDK's default is 6 blind attempts).
        max_retries=1,
        timeout=settings.request_timeout_s,
        temperature=0.2,
        cache=cache if cache is not None else False,
        rate_limiter=rate_limiter,
    )


def list_models(settings: Settings, key: str) -> set[str]:
    """ListModels through the SDK, one attempt; names without the 'models/' prefix."""
    from google import genai
    from google.genai import types

    options = types.HttpOptions(
        base_url=settings.gemini_base_url,
        api_version=settings.gemini_api_version,
        timeout=int(settings.request_timeout_s * 1000),
        retry_options=types.HttpRetryOptions(attempts=1),
    )
    client = genai.Client(api_key=key, http_options=options)
    try:
        return {m.name.removeprefix("models/") for m in client.models.list(config={"page_size": 100}) if m.name}
    finally:
        client.close()
