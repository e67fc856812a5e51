"""Queries and rules. Routers call these; no SQL lives anywhere else."""
