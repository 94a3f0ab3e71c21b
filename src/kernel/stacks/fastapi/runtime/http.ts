/** `app/logs.py`, `app/middleware.py`, `app/auth.py`. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import type { Markers } from "../markers.js";
import { lines, pyList } from "../py.js";

/** `app/logs.py`: structured JSON logs with personal and card data masked. */
export function logsFile(plan: ApiPlan, markers: Markers): string {
  const cardInputs = plan.entities.flatMap((entity) =>
    entity.card === null ? [] : [entity.card.inputField],
  );
  const masked = [...new Set([...plan.maskedFields, ...cardInputs])].sort();
  return String.raw`"""
Structured JSON logs on stdout, one object per line. Values of sensitive fields are masked wherever
they appear in a logged object, credentials are never logged, and anything that looks like a card
number in a message is masked too. Request logs carry the path, never the query string or body.
"""
import json
import logging
import re
import sys
import time
from typing import Any, Optional, TextIO

#: JSON field names whose values never reach the logs.
MASKED_FIELDS = frozenset(${pyList(masked)})${markers.control("mark-sensitive")}
#: Headers that carry credentials.
CREDENTIALS = frozenset(["authorization", "x-api-key", "cookie", "set-cookie"])
MASK = "[masked]"
CARD_NUMBER = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "silent": logging.CRITICAL + 10,
}


def mask_card_numbers(text: str) -> str:
    """Replaces card-number-like digit runs (12–19 digits, spaces or dashes allowed) with a mask."""
    return CARD_NUMBER.sub("[masked card number]", text)


def mask(value: Any) -> Any:
    """A copy of value with sensitive fields and credentials masked, at any depth."""
    if isinstance(value, dict):
        return {
            key: MASK if key in MASKED_FIELDS or str(key).lower() in CREDENTIALS else mask(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [mask(item) for item in value]
    if isinstance(value, str):
        return mask_card_numbers(value)
    return value


class JsonFormatter(logging.Formatter):
    """logger.info("msg", extra={"fields": {...}}) → one JSON line, masked."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(mask(entry), default=str, ensure_ascii=False)${markers.control("mask-in-logs")}


def create_logger(level: str = "info", stream: Optional[TextIO] = None) -> logging.Logger:
    """A logger writing JSON lines to stdout, or to stream (tests). Each call makes a new one."""
    logger = logging.Logger("app", LEVELS.get(level, logging.INFO))
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    return logger
`;
}

/** `app/middleware.py`: request logs, security headers, rate limiting (pure ASGI, no BaseHTTPMiddleware). */
export function middlewareFile(features: Features, markers: Markers): string {
  const securityHeaders = features.securityHeaders
    ? `


SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Conservative headers for a JSON API: no sniffing, no framing, no referrer, HTTPS only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}${markers.control("security-headers")}
            await send(message)

        await self.app(scope, receive, with_headers)`
    : "";
  const rateLimit = features.rateLimit
    ? `


class RateLimit:
    """
    Fixed-window rate limiting per client, in memory: each client may make requests requests per
    window_seconds; the next one gets 429 with Retry-After. A client is its API key (by digest)
    when it sends one, its address otherwise. Probes are never limited. With several replicas each
    counts on its own; use a shared store (e.g. Redis) when the limit must hold across them.
    """

    #: Windows kept before expired ones are swept, so memory stays bounded.
    SWEEP_AT = 10_000
    PROBES = ("/healthz", "/readyz")

    def __init__(self, app: ASGIApp, requests: int, window_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.requests = requests
        self.window = float(window_seconds)
        self.clock = clock
        self.windows: Dict[str, List[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.PROBES:
            await self.app(scope, receive, send)
            return
        now = self.clock()
        client = _client_of(scope)
        window = self.windows.get(client)
        if window is None or now - window[0] >= self.window:
            if len(self.windows) >= self.SWEEP_AT:
                self.windows = {k: w for k, w in self.windows.items() if now - w[0] < self.window}
            window = [now, 0.0]
            self.windows[client] = window
        window[1] += 1
        remaining = max(0, self.requests - int(window[1]))
        limit_headers = [(b"ratelimit-limit", str(self.requests).encode()), (b"ratelimit-remaining", str(remaining).encode())]
        if window[1] > self.requests:
            retry_after = max(1, math.ceil(window[0] + self.window - now))
            response = JSONResponse(
                error_body("rate_limited", "too many requests; retry later"),
                429,
                {"Retry-After": str(retry_after)},
            )${markers.control("rate-limit")}
            response.raw_headers.extend(limit_headers)
            await response(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *limit_headers]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _client_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-api-key" and value:
            return "key:" + hashlib.sha256(value).hexdigest()[:16]
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")`
    : "";
  const typing = ["Callable", "Dict", "List"].filter((name) => name !== "Callable" || features.rateLimit);
  return `"""
ASGI middleware around the application: one log line per request, a request body limit${features.securityHeaders ? ", security headers" : ""}${features.rateLimit ? ", rate limiting" : ""}.
They are plain ASGI callables (no BaseHTTPMiddleware), so they add little to each request.
"""
${lines(features.rateLimit && "import hashlib", "import logging", features.rateLimit && "import math", "import re", "import time", "import uuid")}
${features.rateLimit ? `from typing import ${typing.join(", ")}\n` : ""}
${lines("from fastapi import HTTPException", features.rateLimit && "from fastapi.responses import JSONResponse", "from starlette.types import ASGIApp, Message, Receive, Scope, Send")}
${features.rateLimit ? "\nfrom app.errors import error_body\n" : ""}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}\\Z")
#: Largest request body accepted (JSON records are small; this bounds memory per request).
MAX_BODY_BYTES = 100 * 1024


class BodyLimit:
    """Refuses request bodies over MAX_BODY_BYTES with 413, by Content-Length or while reading."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), b"")
        if length.isdigit() and int(length) > self.limit:
            await _too_large(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # Raised while FastAPI reads the body (a chunked upload): rendered like any HTTP error.
                raise HTTPException(413, "the request body is too large")
            return message

        await self.app(scope, counting_receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    body = b'{"error":{"code":"validation_failed","message":"the request body is too large"}}'
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})



class RequestLog:
    """One log line per request: method, path, status, duration and a request id (echoed in X-Request-Id)."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-request-id"), "")
        request_id = incoming if REQUEST_ID.match(incoming) else str(uuid.uuid4())
        status = 500

        async def with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, with_request_id)
        finally:
            self.logger.info(
                "request",
                extra={
                    "fields": {
                        "requestId": request_id,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "durationMs": round((time.perf_counter() - started) * 1000, 3),
                    }
                },
            )${securityHeaders}${rateLimit}
`.replace(/\n{4,}/g, "\n\n\n");
}

/** `app/auth.py`: API keys or bearer JWTs → a caller with a role; roles → 401 / 403. */
export function authFile(features: Features): string {
  const apiKey = features.auth === "api-key";
  const authenticator = apiKey
    ? `def api_key_authenticator(keys: Mapping[str, str]) -> Authenticator:
    """
    Callers send X-API-Key; keys and their roles come from API_KEYS. Keys are compared as SHA-256
    digests in constant time, and a caller is identified by a digest prefix, never by the key.
    """
    known = [(hashlib.sha256(key.encode()).digest(), role) for key, role in keys.items()]

    def authenticate(request: Request) -> Optional[Caller]:
        presented = request.headers.get("x-api-key", "")
        if presented == "":
            return None
        digest = hashlib.sha256(presented.encode()).digest()
        for known_digest, role in known:
            if hmac.compare_digest(known_digest, digest):
                return Caller(id="api-key:" + digest.hex()[:12], role=role)
        return None

    return authenticate`
    : `def jwt_authenticator(secret: str) -> Authenticator:
    """
    Callers send Authorization: Bearer <JWT>, signed with HS256 and JWT_SECRET; the role is the
    "role" claim and the caller id the "sub" claim. Expired or tampered tokens are refused.
    (For an OAuth identity provider, verify RS256 tokens against the provider's JWKS instead.)
    """

    def authenticate(request: Request) -> Optional[Caller]:
        match = BEARER.match(request.headers.get("authorization", ""))
        if match is None:
            return None
        try:
            claims = jwt.decode(match.group(1), secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            return None
        role = claims.get("role")
        if not isinstance(role, str):
            return None
        subject = claims.get("sub")
        return Caller(id=subject if isinstance(subject, str) else "unknown", role=role)

    return authenticate`;
  return `"""
Authentication says who is calling; authorisation says whether their role may call this route.
Missing or invalid credentials are a 401, a role that may not do this a 403.
"""
${lines(apiKey && "import hashlib\nimport hmac", !apiKey && "import re")}
from dataclasses import dataclass
from typing import Awaitable, Callable, ${apiKey ? "Mapping, " : ""}Optional, Sequence

${apiKey ? "" : "import jwt\n"}from fastapi import Request

from app.errors import ApiError
${apiKey ? "" : '\nBEARER = re.compile(r"^Bearer ([A-Za-z0-9._~+/=-]+)\\Z")\n'}

@dataclass(frozen=True)
class Caller:
    #: Stable identifier for logs and the audit trail (never a secret).
    id: str
    role: str


#: Finds the caller of a request, or None when its credentials are missing or invalid.
Authenticator = Callable[[Request], Optional[Caller]]

#: For operations any authenticated caller may call.
ANY_ROLE = None


${authenticator}


def allow(roles: Optional[Sequence[str]]) -> Callable[[Request], Awaitable[Caller]]:
    """
    A route dependency: 401 without valid credentials, 403 for a role not in \`roles\`
    (\`ANY_ROLE\`: any authenticated caller).

    >>> @router.post("", dependencies=[Depends(allow(["admin"]))])  # doctest: +SKIP
    """

    async def dependency(request: Request) -> Caller:
        caller = request.app.state.context.authenticate(request)
        if caller is None:
            raise ApiError(401, "unauthorized", "missing or invalid credentials", headers={"WWW-Authenticate": ${JSON.stringify(apiKey ? "ApiKey" : "Bearer")}})
        if roles is not None and caller.role not in roles:
            raise ApiError(403, "forbidden", f'the role "{caller.role}" may not do this')
        request.state.caller = caller
        return caller

    return dependency


async def allow_none(request: Request) -> Caller:
    """
    The route dependency of an operation no role is granted: 401 without valid credentials, 403
    with. The generated tests of its behaviour replace it through \`app.dependency_overrides\`.
    """
    return await allow([])(request)

`;
}
