/** What a plan switches on in a generated app, whatever the stack; computed once per generation. */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { AuthKind } from "../../ir/schema.js";

export interface Features {
  readonly auth: AuthKind;
  /** Bearer JWTs (auth kind jwt or oauth). */
  readonly jwt: boolean;
  readonly audit: boolean;
  readonly encryption: boolean;
  readonly card: boolean;
  readonly idempotency: boolean;
  readonly rateLimit: boolean;
  readonly securityHeaders: boolean;
  readonly softDelete: boolean;
  readonly consent: boolean;
  readonly export: boolean;
  readonly erase: boolean;
  readonly search: boolean;
  /** The database has `qlf_purge_expired()` with a retention period. */
  readonly retention: boolean;
}

export function featuresOf(plan: ApiPlan): Features {
  const kinds = new Set(plan.operations.map((operation) => operation.kind));
  return {
    auth: plan.auth.kind,
    jwt: plan.auth.kind === "jwt" || plan.auth.kind === "oauth",
    audit: plan.entities.some((entity) => entity.audit.enabled),
    encryption: plan.entities.some((entity) => entity.encryptedFields.length > 0),
    card: plan.entities.some((entity) => entity.card !== null),
    idempotency: plan.operations.some((operation) => operation.idempotent),
    rateLimit: plan.rateLimit !== null,
    securityHeaders: plan.securityHeaders,
    softDelete: plan.entities.some((entity) => entity.softDelete),
    consent: plan.entities.some((entity) => entity.consentFields.length > 0),
    export: kinds.has("export"),
    erase: kinds.has("erase"),
    search: kinds.has("search"),
    retention: plan.retentionDays !== null,
  };
}
