"""What can go wrong, as exceptions that carry the API's own words.

Every error answer of Chorus is JSON, ``{"status": 400, "error": "what is wrong", "problems": ["field:
what to change", ...]}``. :class:`ChorusError` keeps all three; its subclasses say which kind of
answer it was, so that callers can catch what they can handle (a :class:`Conflict` when a study
cannot move from its state, a :class:`LeaseLost` when a worker's claim no longer holds its trial).
"""

from __future__ import annotations


class ChorusError(Exception):
    """An answer of Chorus that is not a success, or no answer at all.

    Attributes:
        status: the HTTP status (None when Chorus could not be reached).
        error: the API's one-line message.
        problems: the API's list of what to change, one entry per problem (may be empty).
    """

    def __init__(self, error: str, status: int | None = None, problems: list[str] | None = None):
        self.status = status
        self.error = error
        self.problems = list(problems or [])
        text = error if status is None else f"HTTP {status}: {error}"
        if self.problems:
            text += "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(text)


class BadRequest(ChorusError):
    """400 (and 405, 406, 413, 415): the request is not valid; ``problems`` lists what to change."""


class Unauthorized(ChorusError):
    """401 or 403: no token, an unknown or revoked one, or a role that does not allow the call."""


class NotFound(ChorusError):
    """404: no such study, trial or baseline."""


class Conflict(ChorusError):
    """409: a move the state does not allow (the message says which are)."""


class LeaseLost(Conflict):
    """409 on a trial-protocol call: the claim no longer holds the trial (its lease ran out, or it was
    finished). Stop working on the trial; Chorus has given it to the queue again or ended it."""


class ServerError(ChorusError):
    """5xx: a bug or an outage in Chorus, not in the request; the message names an id the server log has."""


class Unreachable(ChorusError):
    """Chorus did not answer (connection refused, timed out) for as long as the client was told to retry."""


class Pruned(Exception):
    """Raised by :meth:`chorus.Trial.report` when the study's pruner wants the trial stopped.

    Let it propagate out of your ``train`` function: the worker then finishes the trial as pruned.
    """


def error_for(status: int, error: str, problems: list[str], protocol: bool = False) -> ChorusError:
    """The exception for an error answer; ``protocol`` marks a call on a claimed trial (409 = lease lost)."""
    if status == 409:
        return (LeaseLost if protocol else Conflict)(error, status, problems)
    kind = {400: BadRequest, 401: Unauthorized, 403: Unauthorized, 404: NotFound, 405: BadRequest,
            406: BadRequest, 413: BadRequest, 415: BadRequest}.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else ChorusError
    return kind(error, status, problems)
