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
  "billing admin",
  "read-only user",
]);

/** Roles that operate the system rather than take part in its domain. */
const STAFF_ROLES =
  /^(?:admin|administrator|superuser|super admin|manager|supervisor|staff|clerk|viewer|editor|operator|auditor|moderator|reviewer|approver|analyst|finance|hr|ops|lead|team lead|billing admin|maintainer)$/;

export function isStaffRole(key: string): boolean {
  return STAFF_ROLES.test(key) || STAFF_ROLES.test(key.split(" ").pop() ?? "");
}

export function isRoleWord(key: string): boolean {
  return ROLE_WORDS.has(key) || ROLE_WORDS.has(key.split(" ").pop() ?? "");
}
