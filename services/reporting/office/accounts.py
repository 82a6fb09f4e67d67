"""The office's accounts and signed-in sessions.

Passwords are hashed with Argon2id (argon2-cffi); a session's cookie token is random and
kept only as its SHA-256, with its own CSRF token for the forms; failed sign-ins are
throttled per account and per address.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select

from services.reporting import tables
from shared.clock import now
from shared.db import Database
from shared.envelope import as_utc
from shared.errors import Conflict, NotFound, RuleViolation

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
_UNKNOWN = _HASHER.hash("an account that does not exist")  # equal work for unknown names


@dataclass(frozen=True)
class Account:
    """A local account, or one the identity provider vouched for (``id_token`` kept to sign
    out there; its username is ``provider:<subject>``, which no local name can be)."""

    username: str
    display_name: str
    id_token: str | None = None


@dataclass(frozen=True)
class Session:
    username: str
    display_name: str
    csrf_token: str
    expires_at: datetime
    id_token: str | None = None


def provider_account(subject: str, name: str | None, id_token: str) -> Account:
    return Account(f"provider:{subject}"[:100], (name or subject)[:200], id_token)


def check_new_account(username: str, password: str) -> None:
    if not USERNAME.match(username):
        raise RuleViolation("a username is 3 to 100 small letters, digits, dots, dashes")
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(f"a password has at least {MIN_PASSWORD} characters")


async def add_account(db: Database, username: str, display_name: str, password: str) -> None:
    check_new_account(username, password)
    t = tables.office_accounts
    async with db.unit_of_work() as session:
        if (await session.execute(select(t.c.username).where(t.c.username == username))).first():
            raise Conflict(f"the account {username} exists")
        await session.execute(
            insert(t),
            {"username": username, "display_name": display_name or username,
             "password_hash": _HASHER.hash(password), "created_at": now()},
        )  # fmt: skip


async def remove_account(db: Database, username: str) -> None:
    async with db.unit_of_work() as session:
        t = tables.office_accounts
        found = await session.execute(delete(t).where(t.c.username == username))
        if found.rowcount == 0:
            raise NotFound(f"no account {username}")
        s = tables.office_sessions
        await session.execute(delete(s).where(s.c.username == username))


async def accounts(db: Database) -> list[Account]:
    t = tables.office_accounts
    async with db.unit_of_work(write=False) as session:
        rows = await session.execute(select(t.c.username, t.c.display_name).order_by(t.c.username))
        return [Account(*r) for r in rows]


async def verify(db: Database, username: str, password: str) -> Account | None:
    """The account when the password is right; ``None`` otherwise (as slowly either way)."""
    t = tables.office_accounts
    async with db.unit_of_work(write=False) as session:
        row = (await session.execute(select(t).where(t.c.username == username))).first()
    try:
        _HASHER.verify(row.password_hash if row else _UNKNOWN, password)
    except (VerificationError, InvalidHashError):
        return None
    return Account(row.username, row.display_name) if row else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(db: Database, account: Account, hours: float) -> tuple[str, Session]:
    """A new session: the cookie's token (shown once) and the session."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    started = now()
    session_ = Session(
        account.username, account.display_name, csrf, started + timedelta(hours=hours),
        account.id_token,
    )  # fmt: skip
    async with db.unit_of_work() as session:
        s = tables.office_sessions
        await session.execute(delete(s).where(s.c.expires_at < started))
        await session.execute(
            insert(s),
            {"token_hash": _digest(token), "username": account.username, "csrf_token": csrf,
             "created_at": started, "expires_at": session_.expires_at,
             "display_name": account.display_name if account.id_token else None,
             "id_token": account.id_token},
        )  # fmt: skip
    return token, session_


async def session_of(db: Database, token: str | None) -> Session | None:
    if not token:
        return None
    s, a = tables.office_sessions, tables.office_accounts
    name = func.coalesce(s.c.display_name, a.c.display_name).label("name")
    query = (
        select(s.c.username, name, s.c.csrf_token, s.c.expires_at, s.c.id_token)
        .outerjoin(a, a.c.username == s.c.username)
        .where(s.c.token_hash == _digest(token))
    )
    async with db.unit_of_work(write=False) as session:
        row = (await session.execute(query)).first()
    if row is None or row.name is None or as_utc(row.expires_at) <= now():
        return None  # unknown, expired, or its local account removed
    return Session(row.username, row.name, row.csrf_token, as_utc(row.expires_at), row.id_token)


async def end_session(db: Database, token: str) -> None:
    async with db.unit_of_work() as session:
        s = tables.office_sessions
        await session.execute(delete(s).where(s.c.token_hash == _digest(token)))


class SignInThrottle:
    """At most ``limit`` failed sign-ins per account and per address within ``window``
    seconds; further attempts are refused until the oldest failure leaves the window."""

    def __init__(self, limit: int = 5, window: float = 900.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        failures, horizon = self._failures[key], time.monotonic() - self.window
        while failures and failures[0] < horizon:
            failures.popleft()
        return failures

    def allowed(self, username: str, address: str) -> bool:
        keys = (f"user:{username}", f"addr:{address}")
        return all(len(self._recent(k)) < self.limit for k in keys)

    def failed(self, username: str, address: str) -> None:
        for key in (f"user:{username}", f"addr:{address}"):
            self._recent(key).append(time.monotonic())

    def succeeded(self, username: str) -> None:
        self._failures.pop(f"user:{username}", None)
