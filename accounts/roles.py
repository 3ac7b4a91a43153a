"""The four roles, what each may do, and the authenticated ``Identity`` passed to actions.

Roles are ordered: ``viewer`` < ``controller`` < ``approver`` < ``admin``; each may do
everything the roles below it may. A viewer reads; a controller also chats with the
agent and proposes (bank uploads, chat asks); an approver also decides (approve, edit,
reject); an admin also manages accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import PermissionDenied, ValidationError

ROLES = ("viewer", "controller", "approver", "admin")
BOOTSTRAP_ADMIN = "admin"

# what each permission needs, at least
PERMISSIONS = {"read": "viewer", "propose": "controller", "decide": "approver", "manage": "admin"}
DOING = {
    "read": "read the books",
    "propose": "ask the agent or propose actions",
    "decide": "approve or reject actions",
    "manage": "manage accounts",
}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    return role


def role_allows(role: str, permission: str) -> bool:
    return ROLES.index(role) >= ROLES.index(PERMISSIONS[permission])


@dataclass(frozen=True)
class Identity:
    """Who is acting, proven by a credential: the account's username and role.

    ``via`` says how (``password``, ``oidc``, ``login_link``, ``api_token``, ``web_token``,
    ``slack``, ``cli``); it goes into logs, never into decisions.
    """

    username: str
    role: str
    via: str

    def can(self, permission: str) -> bool:
        return role_allows(self.role, permission)

    def require(self, permission: str) -> Identity:
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.username} is a {self.role} and may not {DOING[permission]} "
                f"(needs the {PERMISSIONS[permission]} role)"
            )
        return self
