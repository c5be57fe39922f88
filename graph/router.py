"""The router: a graph node that model-calling nodes hand their failures to.

A node that fails returns `Command(goto="router")` with the classified failure; the router applies the
policy (DESIGN.md) to the pool, picks what comes next — another deployment, a wait that fits the
deadline, or the offline engine — records the hop in `attempts`, and sends control back to the node.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Command
from pydantic import BaseModel
from tenacity import RetryCallState, wait_random_exponential

from graph.context import Context
from graph.failures import Failure, classify
from graph.pool import Deployment, iso
from graph.services import Services, services
from graph.state import Attempt, State

MAX_HOPS_PER_NODE = 12
# Waiting out a per-minute cooldown is worth it; a per-day one is not, unless the deadline says so.
DEFAULT_MAX_WAIT_S = 90.0
_BACKOFF = wait_random_exponential(multiplier=0.5, max=8)
_TRANSIENT = {"server", "timeout", "network"}
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


def check_models_once(svc: Services, models: list[str]) -> None:
    """ListModels at the first model call of a process (cached a day in the pool): models that do not
    exist are dropped before a single generate request is spent on them."""
    if svc.models_checked:
        return
    svc.models_checked = True
    for fp in svc.settings.fingerprints():
        if svc.pool.key_disabled(fp):
            continue
        listed = svc.pool.listed_models(fp)
        if listed is None:
            key = svc.settings.key_by_fingerprint(fp)
            try:
                from graph.models import list_models

                listed = list_models(svc.settings, key or "")
            except Exception as exc:
                failure = classify(exc, svc.secrets())
                if failure.kind == "bad_key":
                    svc.pool.record_failure(Deployment(fp, "*", svc.settings.project_of(fp)), failure)
                    continue
                return  # the listing is an optimisation; never let it block a run
            svc.pool.remember_listing(fp, listed)
        if listed:
            svc.pool.mark_unlisted(models, listed)
        return


def call_model(
    node: str, schema: type[BaseModel], prompt: str, *, state: State, ctx: Context, repair: bool = False
) -> ModelCall:
    """One structured request on the best deployment the pool offers; failures come back classified."""
    svc = services()
    models = ladder(svc, ctx)
    check_models_once(svc, models)
    dep = svc.pool.choose(models, set((state.get("excluded") or {}).get(node, [])))
    if dep is None:
        return ModelCall(failure=Failure("unavailable", None, "NO_DEPLOYMENT", None, "no deployment is free"))
    from graph.prompt_files import load

    messages: list[Any] = [SystemMessage(load("system")), HumanMessage(prompt)]
    if repair:
        messages.append(
            HumanMessage(
                "Your previous answer was empty or did not match the schema. Answer again with valid JSON only."
            )
        )
    try:
        model = svc.model(dep).with_structured_output(schema, include_raw=True)
        out = model.invoke(messages)
    except Exception as exc:
        return ModelCall(deployment=dep, failure=classify(exc, svc.secrets()))
    raw = out.get("raw")
    finish = str(getattr(raw, "response_metadata", {}).get("finish_reason", "")) if raw is not None else ""
    if finish in {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "RECITATION"}:
        return ModelCall(deployment=dep, failure=Failure("safety", None, finish, None, "the answer was blocked"))
    if out.get("parsed") is None:
        text = getattr(raw, "content", "") if raw is not None else ""
        if not text:
            return ModelCall(deployment=dep, failure=Failure("empty", None, "EMPTY", None, "the answer was empty"))
        error = out.get("parsing_error")
        return ModelCall(deployment=dep, failure=Failure("schema", None, "INVALID_OUTPUT", None, str(error)[:200]))
    return ModelCall(value=out["parsed"], deployment=dep)


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
            }
        },
    )


def _backoff_s(hop: int) -> float:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = max(1, hop)
    return float(_BACKOFF(state))


def router(
    state: State, runtime: Runtime[Context]
) -> Command[Literal["split_rounds", "extract_questions", "classify_topics", "write_advice"]]:
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
    wait = 0.0

    if dep is not None and failure is not None:
        if failure.kind in {"per_day", "per_minute", "not_found", "bad_key"}:
            decisions.append(svc.pool.record_failure(dep, failure))
            if failure.kind == "bad_key" and svc.pool.announce_once(f"bad_key:{dep.key}"):
                notes.append(f"Gemini key {dep.key} was refused ({failure.reason}); it is disabled. Check it.")
        elif failure.kind in _TRANSIENT:
            wait = _backoff_s(hops[node])
            skip.add(f"{dep.key}|{dep.model}")
            decisions.append(f"transient {failure.kind}: backing off {wait:.2f} s, then the next deployment")
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

    models = ladder(svc, ctx)
    started = state.get("started_at") or svc.clock.now()
    deadline = started + ctx.deadline_s if ctx.deadline_s else None
    if hops[node] > MAX_HOPS_PER_NODE:
        nxt, free_at = None, None
    else:
        nxt = svc.pool.choose(models, skip)
        free_at = None if nxt else svc.pool.next_free(models, skip)
    if nxt is None:
        now = svc.clock.now()
        limit = min(DEFAULT_MAX_WAIT_S, deadline - now) if deadline else DEFAULT_MAX_WAIT_S
        if free_at is not None and free_at - now <= limit:
            wait = max(wait, free_at - now)
            decisions.append(f"no deployment free: waiting {wait:.1f} s for the next one")
        else:
            returns = iso(free_at) if free_at else None
            degrade[node] = {"reason": failure.label if failure else "no deployment", "quota_returns": returns}
            decisions.append(
                "nothing left within the deadline: offline engine" + (f"; quota returns {returns}" if returns else "")
            )
    elif deadline is not None:
        wait = min(wait, max(0.0, deadline - svc.clock.now()))
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
