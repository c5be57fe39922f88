"""Run the compiled graph on one post and return a validated Analysis."""

from __future__ import annotations

from graph.context import Context
from graph.state import Analysis


def analyze_text(
    text: str,
    *,
    source: str = "text",
    encoding: str | None = None,
    context: Context | None = None,
    config: dict | None = None,
) -> Analysis:
    from graph.workflow import graph

    result = graph.invoke(
        {"text": text, "source": source, "encoding": encoding}, config=config, context=context or Context()
    )
    return Analysis.model_validate({**result, "source": source, "encoding": encoding})
