/** The audit trail, field encryption and card tokenisation. */

/** `src/audit/audit-log.ts` */
export function auditLogFile(): string {
  return `/**
 * The audit trail: who read or changed which record, and which sensitive fields it involved. It
 * records field names only, never values, so the trail itself holds no personal data.
 */
import { randomUUID } from "node:crypto";
import type { Queryable } from "../db.js";

export interface AuditEvent {
  /** The caller's id (never a credential), or \`anonymous\`. */
  actor: string;
  /** \`read\`, \`list\`, \`search\`, \`create\`, \`update\`, \`delete\`, \`export\`, \`erase\` or an action verb. */
  action: string;
  entity: string;
  entityId: string | null;
  fields: string[];
}

export interface AuditLog {
  record(events: readonly AuditEvent[]): Promise<void>;
}

export interface AuditEntry extends AuditEvent {
  id: string;
  occurredAt: string;
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async record(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) {
      this.entries.push({ ...event, fields: [...event.fields], id: randomUUID(), occurredAt: new Date().toISOString() });
    }
  }
}

export class PgAuditLog implements AuditLog {
  constructor(private readonly db: Queryable) {}

  async record(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values: unknown[] = [];
    const rows = events.map((event) => {
      values.push(event.actor, event.action, event.entity, event.entityId, event.fields);
      const at = values.length - 4;
      return \`($\${at}, $\${at + 1}, $\${at + 2}, $\${at + 3}, $\${at + 4})\`;
    });
    await this.db.query(\`INSERT INTO audit_log (actor, action, entity, entity_id, fields) VALUES \${rows.join(", ")}\`, values);
  }
}
`;
}

/** `src/security/field-cipher.ts` */
export function fieldCipherFile(): string {
  return `/**
 * Field-level encryption at rest: AES-256-GCM with a random 96-bit IV per value, stored as text
 * \`v1:<iv>:<tag>:<ciphertext>\` (base64 parts). Values are JSON-encoded first, so numbers, dates and
 * booleans decrypt to the same type. The column name is bound in as additional authenticated data,
 * so a ciphertext copied into another column fails to decrypt instead of being misread.
 * Rotate keys by adding a \`v2\` prefix and re-encrypting in a migration job.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";

export class FieldCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("DATA_ENCRYPTION_KEY must be 32 bytes");
  }

  encrypt(value: unknown, column: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(column));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64"))).join(":");
  }

  decrypt(stored: string, column: string): unknown {
    const [version, iv, tag, ciphertext] = stored.split(":");
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error(\`\${column}: not a \${VERSION} ciphertext\`);
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(column));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64")), decipher.final()]);
    return JSON.parse(plaintext.toString("utf8"));
  }
}
`;
}

/** `src/security/card-tokens.ts` */
export function cardTokensFile(): string {
  return `/**
 * Card numbers are never stored (PCI DSS 3.4): the server keeps an HMAC-SHA256 token, which lets it
 * recognise the same card again without being able to recover the number, and the last four
 * digits for display. To charge cards, replace the token with a payment vault reference.
 */
import { createHmac } from "node:crypto";

export interface CardToken {
  token: string;
  last4: string;
}

export class CardTokenizer {
  constructor(private readonly key: string) {}

  tokenize(cardNumber: string): CardToken {
    return {
      token: createHmac("sha256", this.key).update(cardNumber).digest("hex"),
      last4: cardNumber.slice(-4),
    };
  }
}
`;
}
