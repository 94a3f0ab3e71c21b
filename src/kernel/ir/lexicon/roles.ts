/** Words that name a role people play in the application, rather than a record it keeps. */
const ROLE_WORDS = new Set([
  "accountant",
  "bookkeeper",
  "board member",
  "waiter",
  "bartender",
  "cook",
  "chef",
  "receptionist",
  "admin",
  "administrator",
  "superuser",
  "super admin",
  "manager",
  "supervisor",
  "staff",
  "clerk",
  "viewer",
  "editor",
  "operator",
  "auditor",
  "moderator",
  "reviewer",
  "approver",
  "agent",
  "analyst",
  "guest",
  "user",
  "owner",
  "accountant",
  "cashier",
  "receptionist",
  "dispatcher",
  "technician",
  "support agent",
  "maintainer",
  "contributor",
  "author",
  "member",
  "lead",
  "team lead",
  "finance",
  "hr",
  "ops",
  "procurement",
  "purchasing",
  "dispatch",
  "accounting",
  "payroll",
  "legal",
  "compliance",
  "billing admin",
  "read-only user",
]);

/** Roles that operate the system rather than take part in its domain. */
const STAFF_ROLES =
  /^(?:admin|administrator|superuser|super admin|manager|supervisor|staff|clerk|viewer|editor|operator|auditor|moderator|reviewer|approver|analyst|finance|hr|ops|procurement|purchasing|dispatch|accounting|payroll|legal|compliance|lead|team lead|billing admin|maintainer)$/;

/**
 * Departments that act as one ("Finance can put a request on hold", "Procurement converts requests"):
 * a subject of a verb, and a role, though no person's title.
 */
const DEPARTMENT =
  /^(?:staff|admin|administrator|receptionist|guardian|clinician|underwriter|analyst|finance|hr|procurement|purchasing|dispatch|accounting|payroll|legal|compliance)$/;

/** True for a word that acts in a brief as a person does though it names none (`finance`, `staff`). */
export function actsAsPerson(word: string): boolean {
  return DEPARTMENT.test(word);
}

export function isStaffRole(key: string): boolean {
  return STAFF_ROLES.test(key) || STAFF_ROLES.test(key.split(" ").pop() ?? "");
}

export function isRoleWord(key: string): boolean {
  return ROLE_WORDS.has(key) || ROLE_WORDS.has(key.split(" ").pop() ?? "");
}
