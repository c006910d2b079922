"""Prefect flows: ``sanitise``, ``release`` and ``retention``, thin wiring over ``pipeline``.

Flows and tasks take ids (report ids, outbox keys, an inbox path), never report text; no task or
flow persists its result and none caches on its inputs; logs carry ids and counts.
"""
