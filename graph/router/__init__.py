"""The router: the graph node that applies the failure policy, the deployment pool, the shared state,
and the one place models are built."""
