"""Who is deciding at the terminal: proven by a credential, as on the web.

``AR_AGENT_TOKEN`` holds the person's API token (``ar-agent users token NAME``; the
bootstrap ``AR_AGENT_WEB_TOKEN`` is the ``admin`` account's); otherwise ``--as USER`` (or
``AR_AGENT_CLI_USER``) names the account and its password is asked on the terminal. A name
alone is never enough: one person with one credential cannot act as two approvers.
"""

from __future__ import annotations

import getpass
import sys

from accounts.roles import BOOTSTRAP_ADMIN, Identity
from accounts.secrets import same_secret
from accounts.tokens import token_identity
from accounts.users import bootstrap_admin, check_password, identity_of
from core.errors import PermissionDenied
from core.settings import Settings
from ledger.db import Database


def cli_identity(db: Database, settings: Settings, named: str | None) -> Identity:
    """The account acting now; ``named`` is ``--as`` (else ``AR_AGENT_CLI_USER``)."""
    named = named or settings.cli_user
    token = settings.cli_token
    if token:
        identity = _from_token(db, settings, token)
        if named and named.strip().lower() != identity.username:
            raise PermissionDenied(
                f"AR_AGENT_TOKEN belongs to {identity.username}, not {named}: unset one of them"
            )
        return identity
    if not named:
        raise PermissionDenied(
            "who is deciding? Set AR_AGENT_TOKEN to your API token (ar-agent users token NAME), "
            "or pass --as USER and type your password"
        )
    if not sys.stdin.isatty():
        raise PermissionDenied(
            f"--as {named}: the password is asked on a terminal; in scripts set AR_AGENT_TOKEN"
        )
    password = getpass.getpass(f"password for {named}: ")
    with db.session() as session:
        identity = check_password(session, named, password)
    if identity is None:
        raise PermissionDenied(f"wrong password for {named}, or no such enabled account")
    return Identity(identity.username, identity.role, "cli")


def _from_token(db: Database, settings: Settings, token: str) -> Identity:
    with db.transaction() as session:
        if same_secret(token, settings.web_token):
            admin = bootstrap_admin(session)
            if not admin.disabled:
                return identity_of(admin, "web_token")
        else:
            found = token_identity(session, token)
            if found is not None:
                return found
    raise PermissionDenied(
        "AR_AGENT_TOKEN is not a live API token (revoked, mistyped, or its account disabled)"
        if token
        else f"no credential for {BOOTSTRAP_ADMIN}"
    )
