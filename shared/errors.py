"""Errors the domain and use cases raise; the HTTP layer maps them to problem+json."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """Base of every refusal that is the caller's to fix."""

    status = 422
    title = "Request refused"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict with the current state"


class RuleViolation(DomainError):
    status = 422
    title = "Business rule violated"


class PreconditionFailed(DomainError):
    status = 412
    title = "Precondition failed"


class InvalidTransition(Conflict):
    title = "Transition not allowed"

    def __init__(self, current: str, requested: str, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        super().__init__(
            f"cannot go from '{current}' to '{requested}'",
            current=current,
            requested=requested,
            allowed=allowed,
        )


class StateMachine:
    """Allowed lifecycle moves: ``{state: {next states}}``."""

    def __init__(self, moves: dict[str, set[str]]) -> None:
        self.moves = moves

    def allowed_from(self, state: str) -> set[str]:
        return self.moves.get(state, set())

    def check(self, current: str, requested: str) -> None:
        if requested not in self.allowed_from(current):
            raise InvalidTransition(current, requested, self.allowed_from(current))

    @property
    def states(self) -> set[str]:
        return set(self.moves) | {s for targets in self.moves.values() for s in targets}


def check_expected_version(current: int, expected: int | None) -> None:
    """Optimistic concurrency: ``If-Match`` carried the version the client last saw."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            "the resource changed since you read it; fetch it again", current_etag=f'"{current}"'
        )
