/**
 * The briefs the Gin end-to-end test generates and verifies for real: no overlay, HIPAA, PCI +
 * fintech (API keys with roles), GDPR, ecommerce, and JWT roles without an overlay. Two of them also
 * build their image (an image build is the slow part; the other briefs share the same Dockerfile).
 */
export interface GinCase {
  readonly name: string;
  readonly brief: string;
  /** `gin` passes --stack gin; undefined lets the brief choose ("… in Go"). */
  readonly stack: "gin" | undefined;
  /** Overlays that must be in force (detected from the brief). */
  readonly overlays: readonly string[];
  readonly auth: "none" | "api-key" | "jwt" | "oauth";
  /** Files whose presence shows the overlays changed the output. */
  readonly files: readonly string[];
  /** Build the image and probe it. */
  readonly image: boolean;
}

export const GIN_CASES: readonly GinCase[] = [
  {
    name: "todo: no overlay, no auth, 'in Go' in the brief",
    brief: "A todo list API in Go where users add, complete and delete todos.",
    stack: undefined,
    overlays: [],
    auth: "none",
    files: ["internal/api/todos.go"],
    image: false,
  },
  {
    name: "pharmacy: HIPAA + healthcare, JWT",
    brief: "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA",
    stack: "gin",
    overlays: ["healthcare", "hipaa"],
    auth: "jwt",
    files: ["internal/store/audit.go", "internal/security/cipher.go"],
    image: true,
  },
  {
    name: "payments: PCI + fintech, API keys with roles, idempotency",
    brief:
      "We're a small PSP and need a payments API for our merchants. Merchants are onboarded by our ops team and get an API key. A merchant creates payments (amount, currency, card number, expiry, description) and can refund a payment fully or partially, so one payment can have several refunds. Refunds over 500 EUR have to be approved by a risk analyst before they go out — risk analysts need to approve a refund or reject it. Every create call must be idempotent (Idempotency-Key header), and the whole thing has to be PCI DSS compliant. Keep an audit log of who approved what.",
    stack: "gin",
    overlays: ["fintech", "pci"],
    auth: "api-key",
    files: ["internal/security/cards.go", "internal/api/idempotency.go"],
    image: true,
  },
  {
    name: "charity: GDPR export and erasure",
    brief:
      "We're a small charity in Germany. Need a donor database: donors (name, email, postal address, date of birth — optional), donations (amount in EUR, date, campaign, payment method, tax receipt wanted yes/no), campaigns (name, goal amount, start and end date), and volunteers with their shifts. Donors must be able to export their data and ask us to delete it (GDPR). Board members get read-only access.",
    stack: "gin",
    overlays: ["gdpr"],
    auth: "jwt",
    files: ["internal/api/donors.go"],
    image: false,
  },
  {
    name: "marketplace: ecommerce + PCI",
    brief:
      "Multi-vendor marketplace API where sellers list products, buyers place orders, and admins approve sellers before they can sell.",
    stack: "gin",
    overlays: ["ecommerce", "pci"],
    auth: "jwt",
    files: ["internal/api/orders.go"],
    image: false,
  },
  {
    name: "HR leave: JWT roles, no overlay",
    brief:
      "HR system: employees (name, work email, SSN, date of birth, start date, salary) belong to departments; each department has a manager who is also an employee. Employees submit leave requests (type: vacation, sick, parental, unpaid; start date, end date, reason). Managers approve or reject leave requests for their department. HR admins can see everything, employees only their own stuff.",
    stack: "gin",
    overlays: [],
    auth: "jwt",
    files: ["internal/api/auth.go"],
    image: false,
  },
];
