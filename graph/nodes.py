"""Graph nodes: plain functions that take the state and return a partial update."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import Context
from graph.offline import engine as offline
from graph.offline.resources import taxonomy
from graph.state import State


def _context(runtime: Runtime[Context] | None) -> Context:
    return (runtime.context if runtime is not None else None) or Context()


def clean_text(state: State, runtime: Runtime[Context]) -> dict:
    """Decode-independent cleaning: HTML, hashtags, stickers, social noise out; broken lines joined."""
    update = offline.clean_text(state["text"])
    return {**update, "source": state.get("source", "text"), "engines": {"clean_text": "offline"}}


def split_rounds(state: State, runtime: Runtime[Context]) -> dict:
    """Rounds by their markers, plus post-level facts (companies, role, outcome)."""
    return {**offline.split_rounds(state["clean"]), "engines": {"split_rounds": "offline"}}


def extract_questions(state: State, runtime: Runtime[Context]) -> dict:
    """The interviewer's questions of each round, the author's tips, LeetCode links."""
    return {
        **offline.extract_questions(state["sections"], state["clean"], state.get("text")),
        "engines": {"extract_questions": "offline"},
    }


def classify_topics(state: State, runtime: Runtime[Context]) -> dict:
    """One primary taxonomy topic per question (and an optional second)."""
    tax = taxonomy(tuple(_context(runtime).taxonomy_files))
    return {**offline.classify_topics(state["rounds"], tax), "engines": {"classify_topics": "offline"}}


def write_advice(state: State, runtime: Runtime[Context]) -> dict:
    """Summary, key experience and a preparation plan in the post's language."""
    tax = taxonomy(tuple(_context(runtime).taxonomy_files))
    return {**offline.write_advice(dict(state), tax), "engines": {"write_advice": "offline"}}
