"""aiosmtpd's ``authenticator``: the server's :class:`~..credentials.Users` as aiosmtpd asks for them."""

from __future__ import annotations

from typing import Any

from aiosmtpd.smtp import AuthResult

from ..credentials import Users


class Authenticator:
    """Checks a user name and password for aiosmtpd.

    A wrong one gets ``AuthResult(success=False, handled=False)``, which
    aiosmtpd answers with ``535`` at once (the default ``handled=True``
    sends nothing and leaves the client waiting). A right one records the
    user name as the session's ``auth_data``: that is how a message later
    knows who sent it."""

    def __init__(self, users: Users) -> None:
        self.users = users

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        user = self.users.check(getattr(auth_data, "login", None), getattr(auth_data, "password", None))
        if user is None:
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=user)

    def __repr__(self) -> str:
        return f"<Authenticator for {', '.join(self.users.names)}>"
