"""The graph, compiled in one place. LangGraph Studio loads `graph` from here (see langgraph.json).

clean_text → split_rounds → extract_questions → classify_topics → write_advice, where every
model-capable node may hand a failure to `router`, which sends control back to it.
"""

from __future__ import annotations

from langgraph.graph import START, StateGraph

from graph import nodes
from graph.context import Context
from graph.router.node import router
from graph.state import InputState, OutputState, State


def build_graph() -> StateGraph:
    builder = StateGraph(State, context_schema=Context, input_schema=InputState, output_schema=OutputState)
    builder.add_node("clean_text", nodes.clean_text)
    # Model-capable nodes route with Command (to the next step or to the router), so they have no static
    # out-edges: a static edge would fire alongside the router hop.
    builder.add_node("split_rounds", nodes.split_rounds)
    builder.add_node("extract_questions", nodes.extract_questions)
    builder.add_node("classify_topics", nodes.classify_topics)
    builder.add_node("write_advice", nodes.write_advice)
    builder.add_node("router", router)
    builder.add_edge(START, "clean_text")
    builder.add_edge("clean_text", "split_rounds")
    # extract_questions never sends a request (it uses split_rounds' reading), so it has a plain edge.
    builder.add_edge("extract_questions", "classify_topics")
    return builder


graph = build_graph().compile(name="mianjing")
