"""One HTTP call to Chorus, with the standard library only.

The package depends on nothing outside the standard library: a worker goes onto GPU machines and
into containers where installing anything is a chore, and ``urllib`` does all Chorus needs (JSON
bodies, long polls with a timeout, a bearer token).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .errors import ChorusError, Unreachable, error_for

log = logging.getLogger("chorus")


class Transport:
    """Sends requests to one Chorus server; JSON in, JSON out, errors as :class:`ChorusError`.

    Connection errors and 5xx answers are retried with backoff for ``retry_seconds`` (0: not at all);
    4xx answers are never retried. Thread-safe: it keeps no state between calls.
    """

    def __init__(self, url: str, token: str | None, retry_seconds: float = 0.0, timeout: float = 60.0):
        if not url or not urllib.parse.urlsplit(url).scheme.startswith("http"):
            raise ValueError(f"url must be Chorus's address like http://localhost:8080, was {url!r}")
        self.url = url.rstrip("/")
        self.retry_seconds = retry_seconds
        self.timeout = timeout
        self._headers = {"Accept": "application/json", "User-Agent": "chorus-python"}
        if token:
            self._headers["Authorization"] = "Bearer " + token.strip()

    def json(self, method: str, path: str, body: Any = None, *, timeout: float | None = None,
             retry: bool = True, protocol: bool = False, params: dict | None = None) -> Any:
        """The decoded JSON answer of one call (None for an empty answer, such as 204)."""
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        status, raw, _ = self.raw(method, path, data, "application/json", timeout=timeout, retry=retry,
                                  protocol=protocol, params=params)
        return json.loads(raw) if raw and status != 204 else None

    def raw(self, method: str, path: str, data: bytes | None = None, content_type: str | None = None, *,
            accept: str | None = None, timeout: float | None = None, retry: bool = True,
            protocol: bool = False, params: dict | None = None) -> tuple[int, bytes, str]:
        """(status, body bytes, content type) of one call; an error answer raises."""
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = dict(self._headers)
        if content_type and data is not None:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        deadline = time.monotonic() + (self.retry_seconds if retry else 0.0)
        backoff = 0.25
        while True:
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                    return response.status, response.read(), response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as e:
                failure = _error(e, protocol)
                if e.code < 500:
                    raise failure from None
            except (urllib.error.URLError, http.client.HTTPException, OSError, socket.timeout) as e:
                reason = getattr(e, "reason", e)
                failure = Unreachable(f"{method} {path} at {self.url}: {reason}")
            if time.monotonic() + backoff > deadline:
                raise failure
            log.warning("Chorus: %s %s failed (%s); retrying in %.2g s", method, path, failure, backoff)
            time.sleep(backoff)
            backoff = min(backoff * 2, 10.0)


def _error(e: urllib.error.HTTPError, protocol: bool) -> ChorusError:
    text = e.read().decode("utf-8", "replace")
    try:
        body = json.loads(text)
        return error_for(e.code, str(body.get("error") or text), [str(p) for p in body.get("problems") or []],
                         protocol)
    except (ValueError, AttributeError):
        return error_for(e.code, text.strip() or e.reason or "no message", [], protocol)


def token_from(given: str | None, *names: str) -> str | None:
    """The token given, else the first environment variable of ``names`` that is set."""
    if given:
        return given
    return next((os.environ[n] for n in names if os.environ.get(n)), None)
