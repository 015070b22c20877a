"""Use cases, one module per area, called by handlers and the web alike.

Every use case takes the session keyword-only, the caller's ``Profile`` (opened once per request
by ``account.open_account``) and ``now``; it never commits (the caller owns the unit of work) and
returns plain values: ``STALE`` for a row that is gone or not the caller's, never a bare None.
SQL lives in the repositories one floor down (``models.*``).
"""
