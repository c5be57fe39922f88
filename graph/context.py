"""Per-run choices, shown as the configuration form in LangGraph Studio."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Context(BaseModel):
    engine: Literal["auto", "offline", "gemini"] = Field(
        default="auto",
        description="auto: offline where it is confident, Gemini where it adds something (needs a key); "
        "offline: never call a model; gemini: use the model for every model-capable node.",
    )
    models: list[str] | None = Field(
        default=None, description="Model ladder for this run, best first; defaults to GEMINI_MODELS."
    )
    deadline_s: float | None = Field(
        default=None,
        description="Seconds this run may take; no cooldown wait goes past it. None: no deadline.",
    )
    taxonomy_files: list[str] = Field(
        default_factory=list, description="Extra taxonomy TOML files that extend the default topics."
    )


def left_of_run(context: Context, run_started: float, now: float) -> Context:
    """The context for a post begun at `now` in a run begun at `run_started` (monotonic seconds): a
    deadline is the whole run's, not a fresh one per post. Past it, the post runs offline."""
    if not context.deadline_s:
        return context
    return context.model_copy(update={"deadline_s": max(context.deadline_s - (now - run_started), 1e-6)})
