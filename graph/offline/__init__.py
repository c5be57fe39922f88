"""Deterministic engine for every node: the last rung of each model ladder."""
