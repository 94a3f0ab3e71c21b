/**
 * The briefs the Express end-to-end tests generate and verify for real, chosen to cover every
 * shipped overlay (and none), each auth kind, and a full-stack app with its React frontend.
 */
export interface E2eCase {
  readonly name: string;
  readonly brief: string;
  /** Overlays that must be in force (detected from the brief). */
  readonly overlays: readonly string[];
  readonly auth: "none" | "api-key" | "jwt" | "oauth";
  /** Files whose presence shows the overlays changed the output. */
  readonly files: readonly string[];
}

export const API_CASES: readonly E2eCase[] = [
  {
    name: "todo: no overlay, no auth",
    brief: "A todo list API where users add, complete and delete todos.",
    overlays: [],
    auth: "none",
    files: ["src/resources/todos/routes.ts"],
  },
  {
    name: "pharmacy: HIPAA + healthcare, JWT",
    brief: "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA",
    overlays: ["healthcare", "hipaa"],
    auth: "jwt",
    files: ["src/audit/audit-log.ts", "src/security/field-cipher.ts"],
  },
  {
    name: "payments: PCI + fintech, API keys, idempotency",
    brief:
      "We're a small PSP and need a payments API for our merchants. Merchants are onboarded by our ops team and get an API key. A merchant creates payments (amount, currency, card number, expiry, description) and can refund a payment fully or partially, so one payment can have several refunds. Refunds over 500 EUR have to be approved by a risk analyst before they go out — risk analysts need to approve a refund or reject it. Every create call must be idempotent (Idempotency-Key header), and the whole thing has to be PCI DSS compliant. Keep an audit log of who approved what.",
    overlays: ["fintech", "pci"],
    auth: "api-key",
    files: ["src/security/card-tokens.ts", "src/http/idempotency.ts"],
  },
  {
    name: "charity: GDPR export and erasure",
    brief:
      "We're a small charity in Germany. Need a donor database: donors (name, email, postal address, date of birth — optional), donations (amount in EUR, date, campaign, payment method, tax receipt wanted yes/no), campaigns (name, goal amount, start and end date), and volunteers with their shifts. Donors must be able to export their data and ask us to delete it (GDPR). Board members get read-only access.",
    overlays: ["gdpr"],
    auth: "jwt",
    files: ["src/resources/donors/routes.ts"],
  },
];

export const MORE_CASES: readonly E2eCase[] = [
  {
    name: "marketplace: ecommerce + PCI",
    brief:
      "Multi-vendor marketplace API where sellers list products, buyers place orders, and admins approve sellers before they can sell.",
    overlays: ["ecommerce", "pci"],
    auth: "jwt",
    files: ["src/resources/orders/routes.ts"],
  },
  {
    name: "HR leave: JWT roles, no overlay",
    brief:
      "HR system: employees (name, work email, SSN, date of birth, start date, salary) belong to departments; each department has a manager who is also an employee. Employees submit leave requests (type: vacation, sick, parental, unpaid; start date, end date, reason). Managers approve or reject leave requests for their department. HR admins can see everything, employees only their own stuff.",
    overlays: [],
    auth: "jwt",
    files: ["src/http/auth.ts"],
  },
  {
    name: "shipment tracking: API keys, no overlay",
    brief:
      "Shipment tracking API for a 3PL. A shipment has a reference (unique), an origin and a destination address, a carrier and many parcels (weight in kg, dimensions, barcode — unique). Tracking events (status, location, occurred at) are appended as carriers report them. Customers can track a shipment by reference without logging in; staff can cancel a shipment or reroute it. Carriers push events with an API key.",
    overlays: [],
    auth: "api-key",
    files: ["src/http/auth.ts"],
  },
  {
    name: "feature flags: full stack with a React frontend, rate limited",
    brief: `# Feature flag service

Multi-tenant SaaS. Each organization (our tenant) has many projects; each project has environments (dev, staging, prod by default) and flags. A flag has a key (unique within a project), description, type (boolean, string, number, json) and per-environment rules with a rollout percentage.

- Dashboard users sign in with email + password, JWT sessions. Roles: owner, admin, developer, viewer. Viewers can only read. Only owners can delete a project.
- SDKs fetch flag values with an environment API key — that endpoint must be fast and is rate limited to 1000 requests per minute per key.
- Toggle a flag per environment, archive a flag.
- Audit log of every flag change (who, what, before/after).
- React dashboard.
`,
    overlays: [],
    auth: "api-key",
    files: ["src/http/rate-limit.ts", "frontend/package.json"],
  },
];
