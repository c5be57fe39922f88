"""The router: a graph node that model-calling nodes hand their failures to.

A node that fails returns `Command(goto="router")` with the classified failure; the router applies the
policy (DESIGN.md) to the pool, picks what comes next — another deployment, a wait that fits the
deadline, or the offline engine — records the hop in `attempts`, and sends control back to the node.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Command
from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, wait_random_exponential

from graph.context import Context
from graph.router.failures import Failure, classify
from graph.router.pool import Deployment, iso
from graph.router.services import Services, services
from graph.state import Attempt, State

MAX_HOPS_PER_NODE = 12
# Waiting out a per-minute cooldown is worth it; a per-day one is not, unless the deadline says so.
DEFAULT_MAX_WAIT_S = 90.0
_BACKOFF = wait_random_exponential(multiplier=0.5, max=8)
_TRANSIENT = {"server"}
# A timeout or a refused connection says the endpoint itself is unwell, whatever the key or model.
_ENDPOINT_DOWN = {"timeout": "hanging", "network": "unreachable"}
# Failures the pool remembers for a bucket, a model or a key.
_POOL_KINDS = {"per_day", "per_minute", "not_found", "bad_key"}
_ANSWER_PROBLEMS = {"safety", "empty", "schema"}


def context_of(runtime: Runtime[Context] | None) -> Context:
    return (runtime.context if runtime is not None else None) or Context()


def now_iso(svc: Services) -> str:
    return datetime.fromtimestamp(svc.clock.now()).astimezone().isoformat(timespec="seconds")


def ladder(svc: Services, ctx: Context) -> list[str]:
    return [m.removeprefix("models/") for m in (ctx.models or svc.settings.gemini_models)]


def model_available(ctx: Context) -> bool:
    """Whether this run may call a model at all."""
    return ctx.engine != "offline" and services().settings.has_keys


@dataclass
class ModelCall:
    value: BaseModel | None = None
    deployment: Deployment | None = None
    failure: Failure | None = None
    cached: bool = False
    decision: str = ""  # what the pool made of the failure, for the router's log


def _record(svc: Services, dep: Deployment, failure: Failure) -> str:
    """The pool's side of the policy: what a failure costs the bucket, the model, the key or the endpoint."""
    if failure.kind in _POOL_KINDS:
        return svc.pool.record_failure(dep, failure)
    if failure.kind in _ENDPOINT_DOWN:
        what = _ENDPOINT_DOWN[failure.kind]
        return f"endpoint {what}: left alone until {iso(svc.pool.endpoint_down(what, failure.reason))}"
    return ""


def deadline_of(state: State, ctx: Context, svc: Services) -> float | None:
    """The absolute time this run must end by, if it has a deadline."""
    if not ctx.deadline_s:
        return None
    return (state.get("started_at") or svc.clock.now()) + ctx.deadline_s


def check_models_once(svc: Services, models: list[str], timeout_s: float) -> None:
    """ListModels at the first model call of a process (cached a day in the pool): models that do not
    exist are dropped before a single generate request is spent on them.

    It runs alone, under a lock, before any generate request of the process: concurrent first calls would
    otherwise import the SDK side by side (a half-initialised module) and send before the listing is
    known. It is an optimisation, so nothing it raises escapes; what it learns of the endpoint is kept."""
    if svc.models_checked:
        return
    with svc.first_use_lock:
        if svc.models_checked:
            return
        try:
            import google.genai  # noqa: F401
            import langchain_google_genai  # noqa: F401

            _list_models(svc, models, timeout_s)
        except Exception:  # never let the listing block or crash a run
            pass
        finally:
            svc.models_checked = True


def _list_models(svc: Services, models: list[str], timeout_s: float) -> None:
    from graph.router.models import list_models

    for fp in svc.settings.fingerprints():
        if svc.pool.key_disabled(fp):
            continue
        listed = svc.pool.listed_models(fp)
        if listed is None:
            try:
                listed = list_models(svc.settings, svc.settings.key_by_fingerprint(fp) or "", timeout_s)
            except Exception as exc:
                failure = classify(exc, svc.secrets())
                if failure.kind == "bad_key":
                    svc.pool.record_failure(Deployment(fp, "*", svc.settings.project_of(fp)), failure)
                    continue
                if failure.kind in _ENDPOINT_DOWN:
                    svc.pool.endpoint_down(_ENDPOINT_DOWN[failure.kind], failure.reason)
                return
            svc.pool.remember_listing(fp, listed)
        if listed:
            svc.pool.mark_unlisted(models, listed)
        return


def call_model(
    node: str,
    schema: type[BaseModel],
    prompt: str,
    *,
    state: State,
    ctx: Context,
    kind: str,
    repair: bool = False,
) -> ModelCall:
    """One structured request on the best deployment the pool offers; failures come back classified.

    `kind` (read, topics, advice) names the request for its thinking budget and its cache entry. A cached
    answer costs nothing; no request starts after the deadline, and none waits past it."""
    from graph.prompt_files import load
    from graph.router.models import json_schema

    svc = services()
    messages: list[Any] = [SystemMessage(load("system")), HumanMessage(prompt)]
    cache_key = svc.answers().key(kind, schema, [load("system"), prompt])
    cached = svc.answers().get(cache_key)
    if cached is not None:
        with suppress(ValidationError):
            return ModelCall(value=schema.model_validate(cached), cached=True)
    deadline = deadline_of(state, ctx, svc)
    left = None if deadline is None else deadline - svc.clock.now()
    if left is not None and left <= 0:
        return ModelCall(failure=Failure("deadline", None, "DEADLINE", None, "the run's deadline has passed"))
    timeout = svc.settings.request_timeout_s if left is None else min(svc.settings.request_timeout_s, left)
    models = ladder(svc, ctx)
    check_models_once(svc, models, timeout)
    dep = svc.pool.choose(models, set((state.get("excluded") or {}).get(node, [])))
    if dep is None:
        down = svc.pool.endpoint_status()
        why = f"the endpoint {down['reason']} until {iso(float(down['until']))}" if down else "no deployment is free"
        return ModelCall(failure=Failure("unavailable", None, "NO_DEPLOYMENT", None, why))
    wait = svc.pool.take_slot(dep, probe_wait_s=timeout)
    if wait > 0:
        return ModelCall(deployment=dep, failure=Failure("local_limit", None, "LOCAL_LIMIT", wait, "bucket full"))
    if repair:
        messages.append(
            HumanMessage(
                "Your previous answer was empty or did not match the schema. Answer again with valid JSON only."
            )
        )
    options: dict[str, Any] = {
        "response_mime_type": "application/json",
        "response_json_schema": json_schema(schema),
        "timeout": timeout,
    }
    budget = svc.settings.thinking_budget(kind, dep.model)
    if budget is not None:
        options["thinking_budget"] = budget
    answered = reached = False
    try:
        message = svc.model(dep).invoke(messages, **options)
        answered = reached = True
    except Exception as exc:
        failure = classify(exc, svc.secrets())
        if failure.kind == "timeout" and timeout < svc.settings.request_timeout_s:
            # Cut short by the run's deadline, not a sign that the endpoint hangs.
            failure = Failure("deadline", None, "DEADLINE", None, f"no answer before the deadline ({timeout:.1f} s)")
        # A refused connection or a failed DNS lookup never reached Gemini: it costs no quota.
        reached = failure.kind != "network"
        # Into the pool before the slot is released: a worker waiting on this request sees the verdict.
        return ModelCall(deployment=dep, failure=failure, decision=_record(svc, dep, failure))
    finally:
        svc.pool.release(dep, answered=answered, reached=reached)
    call = _parsed(schema, message, dep)
    if call.value is not None:
        svc.answers().set(cache_key, call.value.model_dump(mode="json"))
    return call


def _parsed(schema: type[BaseModel], message: Any, dep: Deployment) -> ModelCall:
    """Only a complete, schema-valid answer is an answer: a truncated one is not parsed leniently."""
    finish = str(getattr(message, "response_metadata", {}).get("finish_reason", "")).removeprefix("FinishReason.")
    if finish in {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "RECITATION", "SPII"}:
        return ModelCall(deployment=dep, failure=Failure("safety", None, finish, None, "the answer was blocked"))
    text = message.text if isinstance(message.text, str) else str(message.content or "")
    if not text.strip():
        return ModelCall(deployment=dep, failure=Failure("empty", None, "EMPTY", None, "the answer was empty"))
    if finish == "MAX_TOKENS":
        return ModelCall(deployment=dep, failure=Failure("schema", None, "MAX_TOKENS", None, "the answer was cut off"))
    try:
        return ModelCall(value=schema.model_validate_json(text), deployment=dep)
    except ValidationError as exc:
        return ModelCall(deployment=dep, failure=Failure("schema", None, "INVALID_OUTPUT", None, str(exc)[:200]))


def attempt(svc: Services, node: str, call: ModelCall, decision: str, wait_s: float = 0.0) -> dict:
    dep = call.deployment
    return Attempt(
        node=node,
        key=dep.key if dep else None,
        model=dep.model if dep else None,
        error=call.failure.label if call.failure else None,
        wait_s=round(wait_s, 3),
        decision=decision,
        at=now_iso(svc),
    ).model_dump()


def to_router(node: str, call: ModelCall) -> Command:
    assert call.failure is not None
    return Command(
        goto="router",
        update={
            "pending": {
                "node": node,
                "deployment": call.deployment.to_dict() if call.deployment else None,
                "failure": call.failure.to_dict(),
                "decision": call.decision,
            }
        },
    )


def _endpoint_note(svc: Services, down: dict) -> str:
    until = iso(float(down["until"]))
    cause = (
        f"did not answer within {svc.settings.request_timeout_s:g} s (GEMINI_TIMEOUT)"
        if down["reason"] == "hanging"
        else f"could not be reached ({down.get('detail') or 'connection refused'})"
    )
    return (
        f"The Gemini endpoint {svc.pool.endpoint} {cause}; it is left alone until {until} and posts run "
        "offline meanwhile (`mianjing status` shows it)."
    )


def _backoff_s(hop: int) -> float:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = max(1, hop)
    return float(_BACKOFF(state))


def router(
    state: State, runtime: Runtime[Context]
) -> Command[Literal["split_rounds", "classify_topics", "write_advice"]]:
    """Apply the policy for the failure the node reported, then send control back to that node."""
    svc = services()
    ctx = context_of(runtime)
    pending = state.get("pending") or {}
    node = pending["node"]
    failure = Failure.from_dict(pending["failure"]) if pending.get("failure") else None
    dep = Deployment(**pending["deployment"]) if pending.get("deployment") else None
    excluded = {k: list(v) for k, v in (state.get("excluded") or {}).items()}
    skip = set(excluded.get(node, []))
    repairs = dict(state.get("repairs") or {})
    hops = dict(state.get("hops") or {})
    hops[node] = hops.get(node, 0) + 1
    degrade = dict(state.get("degrade") or {})
    notes: list[str] = []
    decisions: list[str] = []
    backoff = 0.0
    final = False  # this failure ends the node's model path whatever the pool offers

    if failure is not None and failure.kind in {"deadline", "bad_request"}:
        final = True
        if failure.kind == "bad_request":
            decisions.append(f"the request itself was refused ({failure.label}); not sent to another model")
            if svc.pool.announce_once(f"bad_request:{node}:{failure.message}"):
                notes.append(
                    f"Gemini refused mianjing's {node} request as invalid ({failure.label}: {failure.message}). "
                    "That is a bug in mianjing, not in your key or post; please report it. The step ran offline."
                )
        else:
            decisions.append("the deadline has passed: nothing more is sent")
    elif dep is not None and failure is not None:
        if pending.get("decision"):
            decisions.append(pending["decision"])  # what the pool already made of it (see _record)
        if failure.kind in _POOL_KINDS:
            if failure.kind == "bad_key" and svc.pool.announce_once(f"bad_key:{dep.key}"):
                notes.append(f"Gemini key {dep.key} was refused ({failure.reason}); it is disabled. Check it.")
        elif failure.kind in _ENDPOINT_DOWN:
            pass  # said once below
        elif failure.kind in _TRANSIENT:
            backoff = _backoff_s(hops[node])
            skip.add(f"{dep.key}|{dep.model}")
            decisions.append(f"transient {failure.kind}: the next deployment")
        elif failure.kind == "local_limit":
            decisions.append("bucket full (our own limit); nothing sent")
        elif failure.kind in _ANSWER_PROBLEMS and not repairs.get(node):
            repairs[node] = 1
            decisions.append(f"{failure.kind}: one repair attempt on the same model")
        else:
            repairs[node] = 0
            skip.add(f"*|{dep.model}")
            decisions.append(f"{failure.kind}: {dep.model} passed over for this step, no penalty on the key")
    excluded[node] = sorted(skip)
    down = svc.pool.endpoint_status()
    if down and svc.pool.announce_once(f"endpoint:{down['reason']}:{down['until']}"):
        notes.append(_endpoint_note(svc, down))

    models = ladder(svc, ctx)
    now = svc.clock.now()
    deadline = deadline_of(state, ctx, svc)
    nxt, free_at = None, None
    if not final and hops[node] <= MAX_HOPS_PER_NODE and (deadline is None or now < deadline):
        nxt = svc.pool.choose(models, skip)
        free_at = None if nxt else svc.pool.next_free(models, skip)
    limit = min(DEFAULT_MAX_WAIT_S, deadline - now) if deadline else DEFAULT_MAX_WAIT_S
    wait = 0.0
    if nxt is not None:
        # Backing off is worth it only before another request, and only if the request can still be made.
        wait = backoff
        if wait >= limit:
            nxt, wait = None, 0.0
        elif wait > 0:
            decisions.append(f"backing off {wait:.2f} s")
    elif free_at is not None and free_at - now < limit:
        wait = free_at - now
        decisions.append(f"no deployment free: waiting {wait:.1f} s for the next one")
    if nxt is None and not wait:
        returns = iso(free_at) if free_at and not final else None
        reason = failure.label if failure else "no deployment"
        if failure is not None and failure.kind == "unavailable":
            reason = failure.message
        degrade[node] = {"reason": reason, "quota_returns": returns}
        decisions.append("offline engine" + (f"; quota returns {returns}" if returns else ""))
    if wait > 0:
        svc.clock.sleep(wait)
    call = ModelCall(deployment=dep, failure=failure)
    return Command(
        goto=node,
        update={
            "pending": None,
            "excluded": excluded,
            "repairs": repairs,
            "hops": hops,
            "degrade": degrade,
            "attempts": [attempt(svc, node, call, "; ".join(decisions), wait)],
            "notes": notes,
        },
    )
