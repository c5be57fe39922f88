"""The graph, compiled in one place. LangGraph Studio loads `graph` from here (see langgraph.json)."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graph import nodes
from graph.context import Context
from graph.state import InputState, OutputState, State


def build_graph() -> StateGraph:
    builder = StateGraph(State, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node("clean_text", nodes.clean_text)
    builder.add_node("split_rounds", nodes.split_rounds)
    builder.add_node("extract_questions", nodes.extract_questions)
    builder.add_node("classify_topics", nodes.classify_topics)
    builder.add_node("write_advice", nodes.write_advice)
    builder.add_edge(START, "clean_text")
    builder.add_edge("clean_text", "split_rounds")
    builder.add_edge("split_rounds", "extract_questions")
    builder.add_edge("extract_questions", "classify_topics")
    builder.add_edge("classify_topics", "write_advice")
    builder.add_edge("write_advice", END)
    return builder


graph = build_graph().compile(name="mianjing")
