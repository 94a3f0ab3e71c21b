/** `app/compat.py`, `app/config.py`, `app/validation.py`, `app/errors.py`. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { lines } from "../py.js";

/** `app/compat.py`: the pydantic 1 / 2 shim. */
export function compatFile(): string {
  return `"""
pydantic 1.10 and 2 side by side. The few calls whose spelling differs between the two major
versions live here, so that models and routes read the same on both:

- RequestModel: a request body that refuses unknown fields (ConfigDict vs class Config);
- check(...): a field validator (field_validator vs validator);
- dump(...): the JSON-named dict of a model (model_dump vs dict).

Type and constraint checks are plain functions (app/validation.py) rather than constrained types,
whose keywords also changed (regex became pattern).
"""
from typing import Any, Callable, Dict

import pydantic

PYDANTIC_V2 = pydantic.VERSION.startswith("2.")

if PYDANTIC_V2:
    from pydantic import ConfigDict, field_validator

    class RequestModel(pydantic.BaseModel):
        """A request body: unknown fields are refused; JSON names are the field aliases."""

        model_config = ConfigDict(extra="forbid", protected_namespaces=())

    def check(*fields: str, pre: bool = False) -> Callable[[Any], Any]:
        """A validator of the named fields; pre runs it before type validation (and on None)."""
        return field_validator(*fields, mode="before" if pre else "after")

    def dump(model: pydantic.BaseModel, *, exclude_unset: bool = False) -> Dict[str, Any]:
        """The model as a dict keyed by JSON names; exclude_unset keeps only what the client sent."""
        return model.model_dump(by_alias=True, exclude_unset=exclude_unset)

else:
    from pydantic import Extra, validator

    class RequestModel(pydantic.BaseModel):  # type: ignore[no-redef]
        """A request body: unknown fields are refused; JSON names are the field aliases."""

        class Config:
            extra = Extra.forbid

    def check(*fields: str, pre: bool = False) -> Callable[[Any], Any]:  # type: ignore[misc]
        """A validator of the named fields; pre runs it before type validation (and on None)."""
        return validator(*fields, pre=pre, allow_reuse=True)

    def dump(model: pydantic.BaseModel, *, exclude_unset: bool = False) -> Dict[str, Any]:  # type: ignore[misc]
        """The model as a dict keyed by JSON names; exclude_unset keeps only what the client sent."""
        return model.dict(by_alias=True, exclude_unset=exclude_unset)
`;
}

/** `app/config.py` */
export function configFile(plan: ApiPlan, features: Features): string {
  const fields = lines(
    "    port: int",
    "    database_url: str",
    "    log_level: str",
    features.auth === "api-key" && "    #: API key → role.\n    api_keys: Dict[str, str]",
    features.jwt && "    jwt_secret: str",
    features.encryption &&
      "    #: AES-256-GCM key for encrypted columns (32 bytes).\n    data_encryption_key: bytes",
    features.card && "    #: HMAC key for card tokens.\n    card_token_key: str",
    plan.rateLimit !== null && "    rate_limit_requests: int\n    rate_limit_window_seconds: int",
  );
  const reads = lines(
    features.auth === "api-key" && '    api_keys = _api_keys(env.get("API_KEYS", ""), problems)',
    features.jwt &&
      `    jwt_secret = env.get("JWT_SECRET", "")
    if len(jwt_secret) < 32:
        problems.append("JWT_SECRET: must be at least 32 characters")`,
    features.encryption &&
      `    data_encryption_key = _base64_key(env.get("DATA_ENCRYPTION_KEY", ""))
    if data_encryption_key is None:
        problems.append("DATA_ENCRYPTION_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)")`,
    features.card &&
      `    card_token_key = env.get("CARD_TOKEN_KEY", "")
    if len(card_token_key) < 16:
        problems.append("CARD_TOKEN_KEY: must be at least 16 characters")`,
    plan.rateLimit !== null &&
      `    rate_limit_requests = _integer(env, "RATE_LIMIT_REQUESTS", ${plan.rateLimit.requests}, 1, 10**9, problems)
    rate_limit_window_seconds = _integer(env, "RATE_LIMIT_WINDOW_SECONDS", ${plan.rateLimit.windowSeconds}, 1, 86400, problems)`,
  );
  const values = lines(
    "        port=port,",
    "        database_url=database_url,",
    "        log_level=log_level,",
    features.auth === "api-key" && "        api_keys=api_keys,",
    features.jwt && "        jwt_secret=jwt_secret,",
    features.encryption && '        data_encryption_key=data_encryption_key or b"",',
    features.card && "        card_token_key=card_token_key,",
    plan.rateLimit !== null &&
      "        rate_limit_requests=rate_limit_requests,\n        rate_limit_window_seconds=rate_limit_window_seconds,",
  );
  const apiKeys =
    features.auth === "api-key"
      ? `


def _api_keys(text: str, problems: List[str]) -> Dict[str, str]:
    """key1:role1,key2:role2 → {key: role}. Keys may not contain : or ,."""
    keys: Dict[str, str] = {}
    for pair in text.split(","):
        pair = pair.strip()
        if pair == "":
            continue
        key, separator, role = pair.rpartition(":")
        if separator == "" or key == "" or role == "":
            problems.append("API_KEYS: every entry must be key:role")
            return keys
        keys[key] = role
    if not keys:
        problems.append("API_KEYS: is required: comma-separated key:role pairs, e.g. s3cret:admin")
    return keys`
      : "";
  const base64Key = features.encryption
    ? `


def _base64_key(text: str) -> Optional[bytes]:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None`
    : "";
  return `"""
Configuration comes from the environment only (twelve-factor). It is read once, at start-up, and
the process refuses to start with a message naming every missing or malformed variable.
"""
${lines(features.encryption && "import base64\nimport binascii")}
from dataclasses import dataclass
from typing import ${[...(features.auth === "api-key" ? ["Dict"] : []), "List", "Mapping", ...(features.encryption ? ["Optional"] : [])].join(", ")}

LOG_LEVELS = ("debug", "info", "warn", "warning", "error", "critical", "silent")


class ConfigError(Exception):
    """Every problem with the environment, one per line."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("invalid configuration:\\n  " + "\\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
${fields}


def load_config(env: Mapping[str, str]) -> Config:
    """
    Reads the configuration, or raises ConfigError naming every bad variable.

    >>> load_config(os.environ)  # doctest: +SKIP
    """
    problems: List[str] = []
    port = _integer(env, "PORT", 8080, 1, 65535, problems)
    database_url = env.get("DATABASE_URL", "")
    if database_url == "":
        problems.append("DATABASE_URL: is required (postgres://user:password@host:5432/database)")
    log_level = env.get("LOG_LEVEL", "info").strip().lower() or "info"
    if log_level not in LOG_LEVELS:
        problems.append("LOG_LEVEL: must be one of " + ", ".join(LOG_LEVELS))
${reads}
    if problems:
        raise ConfigError(problems)
    return Config(
${values}
    )


def _integer(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int, problems: List[str]) -> int:
    text = env.get(name, "").strip()
    if text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        problems.append(f"{name}: must be an integer")
        return default
    if not minimum <= value <= maximum:
        problems.append(f"{name}: must be between {minimum} and {maximum}")
    return value${apiKeys}${base64Key}
`.replace(/\n\n\n\n+/g, "\n\n\n");
}

/** `app/validation.py` */
export function validationFile(): string {
  return String.raw`"""
Checks for request values. Formats, lengths, patterns, enums and ranges are plain functions rather
than pydantic's constrained types, so that they read and report the same on pydantic 1 and 2. Each
raises ValueError with a plain-language message (the error handler reports it as the field's
detail), passes None through (whether null is allowed is the field type's business), and returns
the value normalised the way the database stores it.
"""
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Optional, Sequence
from urllib.parse import urlsplit

from app.errors import validation_failed

EMAIL = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}\Z")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DATE_TIME = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
CARD_DIGITS = re.compile(r"^[0-9]{12,19}\Z")


def text(
    value: Optional[str],
    *,
    min_length: Optional[int] = None,
    max_length: Optional[int] = None,
    pattern: Optional[str] = None,
) -> Optional[str]:
    """A string within its length limits that matches its pattern."""
    if value is None:
        return None
    if min_length is not None and len(value) < min_length:
        raise ValueError(f"must be at least {min_length} character{'' if min_length == 1 else 's'} long")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters long")
    if pattern is not None and re.match(pattern, value) is None:
        raise ValueError("has an invalid format")
    return value


def email(value: Optional[str], *, max_length: Optional[int] = None) -> Optional[str]:
    if value is None:
        return None
    if EMAIL.match(value) is None:
        raise ValueError("must be an email address")
    return text(value, max_length=max_length)


def url(value: Optional[str], *, max_length: Optional[int] = None) -> Optional[str]:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.netloc == "" or any(c.isspace() for c in value):
        raise ValueError("must be an http(s) URL")
    return text(value, max_length=max_length)


def uuid(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    if UUID.match(value) is None:
        raise ValueError("must be a UUID")
    return value.lower()


def date_text(value: Optional[str]) -> Optional[str]:
    """A calendar day, YYYY-MM-DD."""
    if value is None:
        return None
    try:
        if DATE.match(value) is None:
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date (YYYY-MM-DD)") from None
    return value


def datetime_text(value: Optional[str]) -> Optional[str]:
    """An RFC 3339 instant with a time zone, normalised to UTC with milliseconds."""
    if value is None:
        return None
    match = DATE_TIME.match(value)
    try:
        if match is None:
            raise ValueError
        day, time, fraction, zone = match.groups()
        micros = ((fraction or "") + "000000")[:6]
        offset = "+00:00" if zone == "Z" else zone
        moment = datetime.fromisoformat(f"{day}T{time}.{micros}{offset}")
    except ValueError:
        raise ValueError("must be a date and time with a time zone (RFC 3339)") from None
    return iso(moment)


def iso(moment: datetime) -> str:
    """2024-01-15T10:30:00.000Z: UTC, milliseconds, the text every store returns."""
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond // 1000:03d}Z"
    )


def days_ago(now: datetime, days: int) -> str:
    return iso(now - timedelta(days=days))


def decimal_text(value: Optional[str], *, pattern: str, scale: int) -> Optional[str]:
    """Decimals travel as strings (no floating point), normalised to the column's scale."""
    if value is None:
        return None
    if re.match(pattern, value) is None:
        raise ValueError('must be a decimal number in a string, e.g. "12.50"')
    return to_scale(value, scale)


def to_scale(value: str, scale: int) -> str:
    """"12.5" at scale 4 → "12.5000": what PostgreSQL returns for numeric(p, 4)."""
    negative = value.startswith("-")
    whole, _, fraction = (value[1:] if negative else value).partition(".")
    digits = whole.lstrip("0") or "0"
    sign = "-" if negative and re.search(r"[1-9]", digits + fraction) else ""
    if scale == 0:
        return sign + digits
    return f"{sign}{digits}.{(fraction + '0' * scale)[:scale]}"


def card_number(value: Optional[str], *, pattern: str = r"^[0-9]{12,19}\Z") -> Optional[str]:
    if value is None:
        return None
    if re.match(pattern, value) is None or CARD_DIGITS.match(value) is None:
        raise ValueError("must be 12 to 19 digits")
    if not luhn(value):
        raise ValueError("is not a valid card number")
    return value


def luhn(digits: str) -> bool:
    """The checksum every payment card number satisfies."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        digit = int(char)
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def integer(value: Optional[int], *, minimum: Optional[int] = None, maximum: Optional[int] = None) -> Optional[int]:
    if value is None:
        return None
    if minimum is not None and value < minimum:
        raise ValueError(f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ValueError(f"must be at most {maximum}")
    return value


def number(value: Any) -> Any:
    """Before type validation: a JSON number, not a numeric string or a boolean."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError("must be a number")
    return value


def one_of(value: Optional[str], values: Sequence[str]) -> Optional[str]:
    if value is not None and value not in values:
        raise ValueError("must be one of: " + ", ".join(values))
    return value


def json_object(value: Any) -> Any:
    """Before type validation: a JSON object (pydantic 1 would turn a list of pairs into a dict)."""
    if value is not None and not isinstance(value, dict):
        raise ValueError("must be an object")
    return value


def not_null(value: Any) -> Any:
    """Before type validation, for PATCH fields that may be left out but not set to null."""
    if value is None:
        raise ValueError("must not be null")
    return value


def query(name: str, value: Any, check: Callable[[Any], Any]) -> Any:
    """Runs a check on a query parameter; a failure is a 422 naming the parameter."""
    try:
        return check(value)
    except ValueError as error:
        raise validation_failed([{"path": name, "message": str(error)}]) from None
`;
}

/** `app/errors.py` */
export function errorsFile(): string {
  return `"""
Every error leaves the API in one shape:
{"error": {"code": "...", "message": "...", "details": [{"path": "...", "message": "..."}]}}.
Handlers raise ApiError (or a storage ConstraintError); FastAPI's own validation errors become a 422
with one detail per field; nothing ever leaks a stack trace to the client.
"""
import logging
from typing import Any, Dict, Iterable, List, Mapping, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.storage.errors import ConstraintError

Detail = Dict[str, str]


class ApiError(Exception):
    """An error the client caused (or may retry), rendered as the contract's error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[List[Detail]] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


def validation_failed(details: List[Detail], message: str = "the request is invalid", status: int = 422) -> ApiError:
    return ApiError(status, "validation_failed", message, details)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def conflict(message: str) -> ApiError:
    return ApiError(409, "conflict", message)


def error_body(code: str, message: str, details: Optional[List[Detail]] = None) -> Dict[str, Any]:
    error: Dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


# pydantic 1 and pydantic 2 name the same problem differently; both map to one message.
MESSAGES = {
    "value_error.missing": "is required",
    "missing": "is required",
    "value_error.extra": "is not a known field",
    "extra_forbidden": "is not a known field",
    "type_error.str": "must be a string",
    "string_type": "must be a string",
    "type_error.integer": "must be an integer",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "type_error.float": "must be a number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "type_error.bool": "must be a boolean",
    "bool_type": "must be a boolean",
    "bool_parsing": "must be a boolean",
    "type_error.uuid": "must be a UUID",
    "uuid_parsing": "must be a UUID",
    "uuid_type": "must be a UUID",
    "type_error.dict": "must be an object",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "type_error.none.not_allowed": "must not be null",
    "value_error.jsondecode": "is not valid JSON",
    "json_invalid": "is not valid JSON",
}
AT_LEAST = {"value_error.number.not_ge": "limit_value", "greater_than_equal": "ge"}
AT_MOST = {"value_error.number.not_le": "limit_value", "less_than_equal": "le"}
MIN_LENGTH = {"value_error.any_str.min_length": "limit_value", "string_too_short": "min_length"}
MAX_LENGTH = {"value_error.any_str.max_length": "limit_value", "string_too_long": "max_length"}
LOCATIONS = ("body", "query", "path", "header", "cookie")
JSON_ERRORS = ("value_error.jsondecode", "json_invalid")


def details_of(errors: Iterable[Mapping[str, Any]]) -> List[Detail]:
    """FastAPI's validation errors (either pydantic's format) → [{path, message}]."""
    details: List[Detail] = []
    for error in errors:
        kind = str(error.get("type", ""))
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in LOCATIONS:
            loc = loc[1:]
        if kind in JSON_ERRORS:
            loc = []
        details.append({"path": ".".join(loc), "message": _message(kind, error)})
    return details


def _message(kind: str, error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind]
    if kind in AT_LEAST:
        return f"must be at least {ctx.get(AT_LEAST[kind])}"
    if kind in AT_MOST:
        return f"must be at most {ctx.get(AT_MOST[kind])}"
    if kind in MIN_LENGTH:
        limit = ctx.get(MIN_LENGTH[kind])
        return f"must be at least {limit} character{'' if limit == 1 else 's'} long"
    if kind in MAX_LENGTH:
        return f"must be at most {ctx.get(MAX_LENGTH[kind])} characters long"
    message = str(error.get("msg", "is invalid"))
    # pydantic 2 prefixes the messages of our own checks (app/validation.py).
    return message[len("Value error, ") :] if message.startswith("Value error, ") else message


def install_error_handlers(app: FastAPI) -> None:
    """Renders ApiError, validation errors, constraint violations and unknown routes."""

    @app.exception_handler(ApiError)
    async def on_api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message, error.details), error.status, error.headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        invalid_json = any(str(e.get("type")) in JSON_ERRORS for e in errors)
        message = "the request body is not valid JSON" if invalid_json else "the request is invalid"
        return JSONResponse(error_body("validation_failed", message, details_of(errors)), 422)

    @app.exception_handler(ConstraintError)
    async def on_constraint_error(_request: Request, error: ConstraintError) -> JSONResponse:
        # A duplicate value, a reference to a missing record or a record still in use: the request
        # conflicts with the current state of the data.
        return JSONResponse(error_body("conflict", str(error)), 409)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 404:
            body = error_body("not_found", f"no route for {request.method} {request.url.path}")
        elif error.status_code == 405:
            body = error_body("not_found", f"{request.method} is not allowed on {request.url.path}")
        else:
            body = error_body("validation_failed" if error.status_code < 500 else "internal", str(error.detail))
        return JSONResponse(body, error.status_code, dict(error.headers or {}))


class InternalErrors:
    """
    ASGI middleware: anything a handler raised that no handler above rendered becomes a 500 with the
    contract's body. The error is logged (masked), never sent to the client.
    """

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            self.logger.exception(
                "request failed", extra={"fields": {"method": scope.get("method"), "path": scope.get("path")}}
            )
            if started:
                raise
            response = JSONResponse(error_body("internal", "internal server error"), 500)
            await response(scope, receive, send)
`;
}
