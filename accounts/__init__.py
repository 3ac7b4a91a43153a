"""People, not names: accounts with roles, and the credentials that prove who is calling.

``roles`` (the four roles and what each may do, the ``Identity`` every front end passes
on), ``secrets`` (token generation, hashing, constant-time comparison), ``passwords``
(argon2), ``users`` (add, list, disable, look up), ``tokens`` (per-user API tokens,
hashed at rest) and ``sessions`` (server-side web sessions and single-use login links).
"""
