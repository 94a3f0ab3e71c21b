/** `app/audit.py`, `app/idempotency.py`, `app/field_cipher.py`, `app/card_tokens.py`. */
import type { Markers } from "../markers.js";

/** `app/audit.py` */
export function auditFile(): string {
  return `"""
The audit trail: who read or changed which record, and which sensitive fields it involved. It
records field names only, never values, so the trail itself holds no personal data.
"""
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import List, Optional, Protocol, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.validation import iso

AUDIT_LOG = sa.table(
    "audit_log",
    sa.column("id"),
    sa.column("occurred_at"),
    sa.column("actor"),
    sa.column("action"),
    sa.column("entity"),
    sa.column("entity_id"),
    sa.column("fields"),
)


@dataclass(frozen=True)
class AuditEvent:
    #: The caller's id (never a credential), or "anonymous".
    actor: str
    #: read, list, search, create, update, delete, export, erase or an action verb.
    action: str
    entity: str
    entity_id: Optional[str]
    fields: List[str] = field(default_factory=list)


class AuditLog(Protocol):
    def record(self, events: Sequence[AuditEvent]) -> None: ...


@dataclass(frozen=True)
class AuditEntry:
    id: str
    occurred_at: str
    event: AuditEvent


class MemoryAuditLog:
    """Events kept in a list (tests, local runs)."""

    def __init__(self) -> None:
        self.entries: List[AuditEntry] = []
        self._lock = threading.Lock()

    def record(self, events: Sequence[AuditEvent]) -> None:
        now = iso(datetime.now(timezone.utc))
        with self._lock:
            for event in events:
                self.entries.append(AuditEntry(str(uuid.uuid4()), now, event))


class PgAuditLog:
    """Rows of audit_log (append-only: the migration refuses UPDATE and DELETE)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, events: Sequence[AuditEvent]) -> None:
        if not events:
            return
        rows = [
            {"actor": e.actor, "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "fields": list(e.fields)}
            for e in events
        ]
        with self.engine.begin() as connection:
            connection.execute(sa.insert(AUDIT_LOG).values(rows))
`;
}

/** `app/idempotency.py` */
export function idempotencyFile(markers: Markers): string {
  return `"""
Idempotency keys for operations that must not happen twice (e.g. moving money). The client sends
Idempotency-Key; the first request with a key runs and its 2xx response is stored; a repeat gets
the stored response back (with Idempotent-Replayed: true) without running again.

A key is claimed before the handler runs, so two concurrent requests with the same key cannot both
run: the second gets 409 while the first is in progress. A failed request releases its key so the
client can retry. Reusing a key with a different body is a 409 too. Keys are per caller and route.
"""
import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Protocol, Tuple

import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine

from app.context import actor_of
from app.errors import conflict, validation_failed

IDEMPOTENCY_KEYS = sa.table(
    "idempotency_keys",
    sa.column("key"),
    sa.column("scope"),
    sa.column("request_hash"),
    sa.column("status_code"),
    sa.column("response_body"),
    sa.column("response_headers"),
)
#: Response headers worth replaying.
REPLAYED_HEADERS = ("location",)


@dataclass
class StoredResponse:
    status: int
    body: Any
    headers: Dict[str, str] = field(default_factory=dict)


@dataclass
class Claim:
    """What a claim found: "claimed" (the caller now owns the key), "in-progress" or "completed"."""

    state: str
    request_hash: str = ""
    response: Optional[StoredResponse] = None


class IdempotencyStore(Protocol):
    def claim(self, scope: str, key: str, request_hash: str) -> Claim: ...
    def complete(self, scope: str, key: str, response: StoredResponse) -> None: ...
    def release(self, scope: str, key: str) -> None: ...


def run_idempotent(
    store: IdempotencyStore,
    request: Request,
    key: Optional[str],
    body: Any,
    handler: Callable[[], JSONResponse],
) -> Response:
    """
    Runs handler once per Idempotency-Key; repeats get the stored response.

    >>> return run_idempotent(ctx.idempotency, request, idempotency_key, dump(body), lambda: create(body))  # doctest: +SKIP
    """
    if key is None or key.strip() == "" or len(key) > 255:
        raise validation_failed(
            [{"path": "Idempotency-Key", "message": "header is required (a unique value of at most 255 characters)"}],
            status=400,
        )
    scope = f"{actor_of(request)} {request.method} {request.url.path}"
    request_hash = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    claim = store.claim(scope, key, request_hash)${markers.control("idempotency-keys")}
    if claim.state != "claimed":
        if claim.request_hash != request_hash:
            raise conflict("this Idempotency-Key was already used with a different request body")
        if claim.state == "in-progress" or claim.response is None:
            raise conflict("a request with this Idempotency-Key is still in progress")
        stored = claim.response
        return JSONResponse(stored.body, stored.status, {**stored.headers, "Idempotent-Replayed": "true"})
    try:
        response = handler()
    except BaseException:
        store.release(scope, key)
        raise
    if 200 <= response.status_code < 300:
        headers = {name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers}
        store.complete(scope, key, StoredResponse(response.status_code, json.loads(response.body), headers))
    else:
        store.release(scope, key)
    return response


class MemoryIdempotencyStore:
    def __init__(self) -> None:
        self._entries: Dict[Tuple[str, str], Tuple[str, Optional[StoredResponse]]] = {}
        self._lock = threading.Lock()

    def claim(self, scope: str, key: str, request_hash: str) -> Claim:
        with self._lock:
            entry = self._entries.get((scope, key))
            if entry is None:
                self._entries[(scope, key)] = (request_hash, None)
                return Claim("claimed")
        stored_hash, response = entry
        return Claim("in-progress" if response is None else "completed", stored_hash, response)

    def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            entry = self._entries.get((scope, key))
            if entry is not None:
                self._entries[(scope, key)] = (entry[0], response)

    def release(self, scope: str, key: str) -> None:
        with self._lock:
            self._entries.pop((scope, key), None)


class PgIdempotencyStore:
    """Rows of idempotency_keys; status_code 0 marks a request still in progress."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, scope: str, key: str, request_hash: str) -> Claim:
        insert = (
            pg_insert(IDEMPOTENCY_KEYS)
            .values(key=key, scope=scope, request_hash=request_hash, status_code=0)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )
        t = IDEMPOTENCY_KEYS.c
        with self.engine.begin() as connection:
            if connection.execute(insert).rowcount == 1:
                return Claim("claimed")
            row = (
                connection.execute(
                    sa.select(t.request_hash, t.status_code, t.response_body, t.response_headers).where(
                        t.scope == scope, t.key == key
                    )
                )
                .mappings()
                .first()
            )
        # Released between our insert and select: the caller may simply retry.
        if row is None:
            return Claim("in-progress", request_hash)
        if row["status_code"] == 0:
            return Claim("in-progress", row["request_hash"])
        response = StoredResponse(row["status_code"], row["response_body"], dict(row["response_headers"] or {}))
        return Claim("completed", row["request_hash"], response)

    def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        t = IDEMPOTENCY_KEYS.c
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(IDEMPOTENCY_KEYS)
                .where(t.scope == scope, t.key == key)
                .values(
                    status_code=response.status,
                    response_body=json.dumps(response.body),
                    response_headers=json.dumps(response.headers),
                )
            )

    def release(self, scope: str, key: str) -> None:
        t = IDEMPOTENCY_KEYS.c
        with self.engine.begin() as connection:
            connection.execute(sa.delete(IDEMPOTENCY_KEYS).where(t.scope == scope, t.key == key))

`;
}

/** `app/field_cipher.py` */
export function fieldCipherFile(): string {
  return `"""
Field-level encryption at rest: AES-256-GCM with a random 96-bit IV per value, stored as text
"v1:<iv>:<tag>:<ciphertext>" (base64 parts). Values are JSON-encoded first, so numbers, dates and
booleans decrypt to the same type. The column name is bound in as additional authenticated data, so
a ciphertext copied into another column fails to decrypt instead of being misread. The format is
the same as the other qlf stacks', so they can share a database.
Rotate keys by adding a "v2" prefix and re-encrypting in a migration job.
"""
import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
TAG_BYTES = 16


class FieldCipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("DATA_ENCRYPTION_KEY must be 32 bytes")
        self._aead = AESGCM(key)

    def encrypt(self, value: Any, column: str) -> str:
        iv = os.urandom(12)
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        sealed = self._aead.encrypt(iv, plaintext, column.encode())
        ciphertext, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        return ":".join([VERSION, *(base64.b64encode(part).decode() for part in (iv, tag, ciphertext))])

    def decrypt(self, stored: str, column: str) -> Any:
        parts = stored.split(":")
        if len(parts) != 4 or parts[0] != VERSION:
            raise ValueError(f"{column}: not a {VERSION} ciphertext")
        iv, tag, ciphertext = (base64.b64decode(part) for part in parts[1:])
        plaintext = self._aead.decrypt(iv, ciphertext + tag, column.encode())
        return json.loads(plaintext)
`;
}

/** `app/card_tokens.py` */
export function cardTokensFile(): string {
  return `"""
Card numbers are never stored (PCI DSS 3.4): the server keeps an HMAC-SHA256 token, which lets it
recognise the same card again without being able to recover the number, and the last four digits
for display. To charge cards, replace the token with a payment vault reference.
"""
import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class CardToken:
    token: str
    last4: str


class CardTokenizer:
    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def tokenize(self, card_number: str) -> CardToken:
        token = hmac.new(self._key, card_number.encode(), hashlib.sha256).hexdigest()
        return CardToken(token=token, last4=card_number[-4:])
`;
}
