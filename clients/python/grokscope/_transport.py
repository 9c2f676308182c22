"""GraphQL over HTTP POST with urllib: one function, retries on connection failures."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional


class GrokscopeError(Exception):
    """The server refused a call. ``code`` is its ``extensions.code`` (``BAD_USER_INPUT``, ``NOT_FOUND``, ...);
    ``issues`` lists ``{"path", "message"}`` for each refused field (``steps.3.scalars.0``)."""

    def __init__(self, message: str, code: Optional[str] = None, issues: Optional[List[Dict[str, str]]] = None):
        super().__init__(message)
        self.code = code
        self.issues = issues or []


def graphql_url(url: str) -> str:
    """``http://host:4000`` or ``http://host:4000/graphql`` -> the GraphQL endpoint."""
    url = url.rstrip("/")
    return url if url.endswith("/graphql") else url + "/graphql"


class Transport:
    def __init__(self, url: str, token: Optional[str] = None, retries: int = 4, timeout: float = 120.0):
        self.url = graphql_url(url)
        self.token = token
        self.retries = retries
        self.timeout = timeout

    def call(self, query: str, variables: Dict[str, Any]) -> Dict[str, Any]:
        """The operation's ``data``; GrokscopeError when the server answers with errors.

        Connection failures and 5xx answers are retried with backoff: every grokscope write the client makes is
        idempotent (a re-sent step or weight is a no-op), so a retry never stores anything twice."""
        body = json.dumps({"query": query, "variables": variables}, allow_nan=False).encode("utf-8")
        headers = {"content-type": "application/json", "accept": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        delay = 0.5
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    payload = json.loads(response.read().decode("utf-8"))
                break
            except urllib.error.HTTPError as error:
                text = error.read().decode("utf-8", "replace")
                if error.code >= 500 and attempt < self.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                try:
                    payload = json.loads(text)
                except ValueError:
                    raise GrokscopeError(f"HTTP {error.code}: {text[:500]}", code=f"HTTP_{error.code}") from None
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if attempt >= self.retries:
                    raise GrokscopeError(f"cannot reach {self.url}: {error}", code="UNREACHABLE") from error
                time.sleep(delay)
                delay *= 2
        errors = payload.get("errors")
        if errors:
            first = errors[0]
            extensions = first.get("extensions") or {}
            raise GrokscopeError(first.get("message", str(first)), extensions.get("code"), extensions.get("issues"))
        return payload["data"]
