/**
 * The briefs the FastAPI end-to-end tests generate and verify for real: no overlay, HIPAA, PCI +
 * fintech, GDPR, ecommerce, and roles (API keys and JWTs), through `--stack fastapi` or the
 * brief's own "in Python".
 */
import type { FastapiCase } from "./fastapi-verify.js";

export const FASTAPI_CASES: readonly FastapiCase[] = [
  {
    name: "todo: no overlay, no auth (--stack fastapi)",
    brief: "A todo list API where users add, complete and delete todos.",
    stackFlag: true,
    overlays: [],
    auth: "none",
    files: ["app/routers/todos.py", "tests/test_todos.py"],
  },
  {
    name: "pharmacy: HIPAA + healthcare, JWT (in Python)",
    brief: "Pharmacy API in Python: pharmacists fill prescriptions for patients; HIPAA",
    stackFlag: false,
    overlays: ["healthcare", "hipaa"],
    auth: "jwt",
    files: ["app/audit.py", "app/field_cipher.py"],
  },
  {
    name: "payments: PCI + fintech, API keys with roles, idempotency",
    brief:
      "We're a small PSP and need a payments API for our merchants, written in Python with FastAPI. Merchants are onboarded by our ops team and get an API key. A merchant creates payments (amount, currency, card number, expiry, description) and can refund a payment fully or partially, so one payment can have several refunds. Refunds over 500 EUR have to be approved by a risk analyst before they go out — risk analysts need to approve a refund or reject it. Every create call must be idempotent (Idempotency-Key header), and the whole thing has to be PCI DSS compliant. Keep an audit log of who approved what.",
    stackFlag: false,
    overlays: ["fintech", "pci"],
    auth: "api-key",
    files: ["app/card_tokens.py", "app/idempotency.py"],
  },
];

export const MORE_FASTAPI_CASES: readonly FastapiCase[] = [
  {
    name: "charity: GDPR export, erasure and consent",
    brief:
      "We're a small charity in Germany. Need a donor database: donors (name, email, postal address, date of birth — optional), donations (amount in EUR, date, campaign, payment method, tax receipt wanted yes/no), campaigns (name, goal amount, start and end date), and volunteers with their shifts. Donors must be able to export their data and ask us to delete it (GDPR). Board members get read-only access.",
    stackFlag: true,
    overlays: ["gdpr"],
    auth: "jwt",
    files: ["app/routers/donors.py"],
  },
  {
    name: "marketplace: ecommerce + PCI",
    brief:
      "Multi-vendor marketplace API in Python where sellers list products, buyers place orders, and admins approve sellers before they can sell.",
    stackFlag: false,
    overlays: ["ecommerce", "pci"],
    auth: "jwt",
    files: ["app/routers/orders.py"],
  },
  {
    name: "HR leave: JWT roles, no overlay",
    brief:
      "HR system: employees (name, work email, SSN, date of birth, start date, salary) belong to departments; each department has a manager who is also an employee. Employees submit leave requests (type: vacation, sick, parental, unpaid; start date, end date, reason). Managers approve or reject leave requests for their department. HR admins can see everything, employees only their own stuff.",
    stackFlag: true,
    overlays: [],
    auth: "jwt",
    files: ["app/auth.py"],
  },
];
