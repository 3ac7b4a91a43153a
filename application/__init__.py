"""The application layer: one function per action, called by every front end.

Web pages, REST, Slack listeners and the CLI only translate their input into these
calls (with an authenticated :class:`accounts.roles.Identity`) and the result back.
"""
