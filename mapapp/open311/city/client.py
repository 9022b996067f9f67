"""A small Open311 GeoReport v2 client for the city's endpoint, over ``urllib.request``.

Only what sending concerns needs: POST ``requests.json`` (form-encoded, as the spec says),
GET ``requests.json?service_request_id=…`` and GET ``tokens/{token}.json``. Answers are
JSON arrays; errors come as ``[{"code": …, "description": …}]`` with an HTTP error status
and are raised as :class:`CityError` carrying the city's description.

For a POST it matters whether the city may have got the request. ``urllib`` wraps every
``OSError`` raised while connecting and writing the request in ``URLError``: nothing (or no
whole request) reached the city, a definite failure. Errors while waiting for or reading the
answer (read timeout, ``RemoteDisconnected``, connection reset, ``IncompleteRead``) come
unwrapped, and so does a 2xx answer we cannot read: the city may have stored the request, so
they are raised as :class:`CityUncertain`.
"""
from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

USER_AGENT = "mapapp-open311-client/1"
# A proxy in front of the city answering these may have passed the request on before it failed.
GATEWAY_UNCERTAIN = {502, 504}


class CityError(Exception):
    """The city's endpoint refused or could not be reached; ``message`` says why (for the logs)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class CityUncertain(CityError):
    """The request was sent but no usable answer came back: the city may or may not have it."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach the city: base URL (ending before ``requests.json``), key, jurisdiction."""

    base_url: str
    api_key: str
    jurisdiction_id: str | None = None

    def url(self, path: str, query: dict | None = None) -> str:
        url = self.base_url.rstrip("/") + "/" + path
        return url + ("?" + urllib.parse.urlencode(query) if query else "")


def _error_text(body: bytes) -> str | None:
    """The descriptions of a spec error array, or None when the body is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return None
    parts = [f"{item.get('code', '')} {item.get('description', '')}".strip()
             for item in data if isinstance(item, dict) and ("description" in item or "code" in item)]
    return "; ".join(parts) or None


def attribute_fields(attributes: dict) -> list[tuple[str, str]]:
    """``{"damage": ["potholes", "roots"], "floors": 2}`` → the form fields of GeoReport v2."""
    fields = []
    for code, value in attributes.items():
        if isinstance(value, list):
            fields += [(f"attribute[{code}][]", str(item)) for item in value]
        else:
            fields.append((f"attribute[{code}]", str(value)))
    return fields


class Open311Client:
    """Talks to one city endpoint per call; ``timeout`` (seconds) bounds every request."""

    def __init__(self, timeout: float = 10.0):
        self.timeout = timeout

    def _call(self, request: urllib.request.Request) -> list:
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", USER_AGENT)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as err:
            detail = _error_text(err.read() or b"") or err.reason
            if err.code in GATEWAY_UNCERTAIN:
                raise CityUncertain(f"HTTP {err.code} from a gateway: {detail}", err.code) from None
            raise CityError(f"HTTP {err.code}: {detail}", err.code) from None
        except urllib.error.URLError as err:
            raise CityError(f"not reachable: {err.reason}") from None
        except (OSError, http.client.HTTPException) as err:
            raise CityUncertain(f"no answer after sending: {err!r}") from None
        try:
            data = json.loads(body)
        except ValueError:
            raise CityUncertain("the answer is not JSON") from None
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise CityUncertain("the answer is not a JSON array")
        return data

    def post_request(self, endpoint: Endpoint, *, service_code: str, lat: float, lon: float,
                     description: str, attributes: dict | None = None, media_url: str | None = None) -> dict:
        """POST a service request; return the city's answer (``service_request_id`` and/or ``token``).

        ``attributes`` (code → value, a list for a multivaluelist) go as ``attribute[code]`` and
        ``attribute[code][]`` as the spec's service definitions ask.
        """
        form = {"api_key": endpoint.api_key, "service_code": service_code,
                "lat": f"{lat:.7f}", "long": f"{lon:.7f}", "description": description}
        if endpoint.jurisdiction_id:
            form["jurisdiction_id"] = endpoint.jurisdiction_id
        if media_url:
            form["media_url"] = media_url
        fields = list(form.items()) + attribute_fields(attributes or {})
        request = urllib.request.Request(
            endpoint.url("requests.json"), data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answers = self._call(request)
        answer = answers[0] if answers and isinstance(answers[0], dict) else {}
        if not (answer.get("service_request_id") or answer.get("token")):
            error = _error_text(json.dumps(answers).encode())
            if error:  # an error array with a success status: the city refused it
                raise CityError(error)
            raise CityUncertain("the answer has no service_request_id or token")
        return answer

    def get_requests(self, endpoint: Endpoint, request_ids: list[str]) -> list[dict]:
        """The city's current view of ``request_ids`` (status, status_notes, …)."""
        query = {"service_request_id": ",".join(request_ids)}
        if endpoint.jurisdiction_id:
            query["jurisdiction_id"] = endpoint.jurisdiction_id
        return [item for item in self._call(urllib.request.Request(endpoint.url("requests.json", query)))
                if isinstance(item, dict)]

    def get_token(self, endpoint: Endpoint, token: str) -> str | None:
        """The ``service_request_id`` the city has by now given to ``token``, or None."""
        query = {"jurisdiction_id": endpoint.jurisdiction_id} if endpoint.jurisdiction_id else None
        path = "tokens/" + urllib.parse.quote(token, safe="") + ".json"
        for item in self._call(urllib.request.Request(endpoint.url(path, query))):
            if isinstance(item, dict) and item.get("service_request_id"):
                return str(item["service_request_id"])
        return None
