"""Imported by the forkserver that a batch's worker processes fork from, and nowhere else: the graph and
what the offline engine loads on first use (the LeetCode catalogue, the question model) are loaded here
once, before the workers fork, so each starts with them in memory instead of loading its own copy."""

from contextlib import suppress

from graph.context import Context
from graph.workflow import graph

# A post that touches every loader on the offline path.
WARM_UP = "一面\n1. 讲讲Transformer和RoPE\n2. 手撕LRU缓存，leetcode 146\n反问\n"

with suppress(Exception):  # a worker meets the same failure on its first post, and reports it there
    graph.invoke({"text": WARM_UP}, context=Context(engine="offline"))
