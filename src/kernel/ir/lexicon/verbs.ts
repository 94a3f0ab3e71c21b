/**
 * Verbs in briefs: which ones are plain CRUD, which are custom actions (with the state they leave
 * a record in), and which link two record types many-to-many.
 */
import type { Permission } from "../schema.js";

/** Verbs that mean create/read/update/delete: they map to CRUD, never to a custom action. */
export const CRUD_VERBS: Readonly<Record<string, Permission>> = {
  create: "create",
  add: "create",
  register: "create",
  post: "create",
  upload: "create",
  record: "create",
  log: "create",
  enter: "create",
  insert: "create",
  make: "create",
  view: "read",
  see: "read",
  read: "read",
  list: "read",
  browse: "read",
  get: "read",
  fetch: "read",
  access: "read",
  look: "read",
  check: "read",
  query: "read",
  retrieve: "read",
  review: "read",
  monitor: "read",
  update: "update",
  edit: "update",
  modify: "update",
  change: "update",
  correct: "update",
  amend: "update",
  delete: "delete",
  remove: "delete",
  purge: "delete",
  destroy: "delete",
  erase: "delete",
  manage: "update",
  administer: "update",
  maintain: "update",
  track: "update",
  handle: "update",
  // "technicians replace sensors", "engineers fix faults": the record changes, it is not made.
  replace: "update",
  fix: "update",
};

/**
 * Custom actions: verb → the state the record is in afterwards. An action becomes
 * `POST /{route}/{id}/{verb}` and moves the record's `status` (created when missing).
 */
export const ACTION_VERBS: Readonly<Record<string, string>> = {
  approve: "approved",
  reject: "rejected",
  decline: "declined",
  deny: "denied",
  shortlist: "shortlisted",
  inspect: "inspected",
  convert: "converted",
  allocate: "allocated",
  accept: "accepted",
  cancel: "cancelled",
  refund: "refunded",
  ship: "shipped",
  deliver: "delivered",
  dispatch: "dispatched",
  fulfil: "fulfilled",
  fulfill: "fulfilled",
  fill: "filled",
  dispense: "dispensed",
  assign: "assigned",
  unassign: "unassigned",
  close: "closed",
  reopen: "open",
  archive: "archived",
  unarchive: "active",
  publish: "published",
  unpublish: "draft",
  confirm: "confirmed",
  complete: "completed",
  finish: "completed",
  activate: "active",
  deactivate: "inactive",
  suspend: "suspended",
  reinstate: "active",
  resolve: "resolved",
  escalate: "escalated",
  verify: "verified",
  sign: "signed",
  renew: "renewed",
  pay: "paid",
  void: "void",
  issue: "issued",
  return: "returned",
  lock: "locked",
  unlock: "unlocked",
  flag: "flagged",
  pause: "paused",
  resume: "active",
  retire: "retired",
  decommission: "decommissioned",
  withdraw: "withdrawn",
  discharge: "discharged",
  admit: "admitted",
  refer: "referred",
  finalize: "finalized",
  finalise: "finalized",
  settle: "settled",
  reconcile: "reconciled",
  disburse: "disbursed",
  freeze: "frozen",
  unfreeze: "active",
  block: "blocked",
  unblock: "active",
  ban: "banned",
  invite: "invited",
  schedule: "scheduled",
  reschedule: "scheduled",
  postpone: "postponed",
  start: "in_progress",
  end: "ended",
  reserve: "reserved",
  bind: "bound",
  print: "printed",
  collect: "collected",
  receive: "received",
  randomize: "randomized",
  randomise: "randomized",
  checkin: "checked_in",
  checkout: "checked_out",
  acknowledge: "acknowledged",
  dismiss: "dismissed",
  reimburse: "reimbursed",
  authorize: "authorized",
  authorise: "authorized",
  capture: "captured",
  release: "released",
  hold: "on_hold",
  deploy: "deployed",
  revoke: "revoked",
  expire: "expired",
  redeem: "redeemed",
  triage: "triaged",
  quarantine: "quarantined",
  restock: "in_stock",
  grade: "graded",
  submit: "submitted",
  reboot: "rebooted",
  restart: "restarted",
  upgrade: "upgraded",
  downgrade: "downgraded",
  toggle: "toggled",
  adjust: "adjusted",
  reroute: "rerouted",
  send: "sent",
  transfer: "transferred",
  topup: "topped_up",
  reassign: "assigned",
  rollback: "rolled_back",
  enable: "enabled",
  disable: "disabled",
  serve: "served",
  pick: "picked",
  pack: "packed",
  signoff: "signed_off",
};

/** Phrasal forms written as two words, normalised before lookup. */
export const PHRASAL_VERBS: Readonly<Record<string, string>> = {
  "check in": "checkin",
  "check-in": "checkin",
  "check out": "checkout",
  "check-out": "checkout",
  "sign off on": "signoff",
  "sign off": "signoff",
  "sign-off": "signoff",
  "put on hold": "hold",
  "top up": "topup",
  "top-up": "topup",
  "roll back": "rollback",
};

/** Verbs that link two plural record types many-to-many: "students enroll in courses". */
export const MANY_TO_MANY_VERBS = new Set([
  "enroll",
  "enrol",
  "enrolls",
  "enrols",
  "enrolled",
  "attend",
  "attends",
  "join",
  "joins",
  "follow",
  "follows",
  "subscribe",
  "subscribes",
  "like",
  "likes",
  "favorite",
  "favorites",
  "favourite",
  "bookmark",
  "bookmarks",
  "tagged",
  "participate",
  "participates",
  "register",
  "registers",
  "belong to many",
  "share",
  "shares",
  "collaborate",
  "collaborates",
]);

/**
 * Verbs by which a person or party brings a record into being: "employees submit leave requests",
 * "buyers make offers", "customers place orders". The subject is the parent of what it creates.
 * Written in base form; `authoringVerb` reads "submits" and "submitted" too.
 */
export const AUTHORING_VERBS = new Set([
  // "sellers list products", "agents list properties": to list is to offer, a kind of creating.
  "list",
  "submit",
  "place",
  "file",
  "raise",
  "open",
  "book",
  "make",
  "write",
  "create",
  "post",
  "log",
  "upload",
  "request",
  "leave",
  "author",
  "draft",
  "send",
  "start",
  "schedule",
  "donate",
  "give",
  "issue",
  "report",
  "order",
  "buy",
  "purchase",
  "rent",
  "borrow",
  "reserve",
  "receive",
  "earn",
  "collect",
  // "tenants sign leases", "owners register pets", "mechanics record repairs".
  "sign",
  "register",
  "record",
  // "drivers do a daily vehicle check", "inspectors perform audits", "agents raise tickets".
  "do",
  "perform",
  "conduct",
  "raise",
  // "carriers upload proof of delivery documents".
  "upload",
  "attach",
  // "instructors publish courses".
  "publish",
  // "the billing clerk generates an invoice per matter".
  "generate",
  "produce",
  "prepare",
]);

/** "submits" → "submit", "placed" → "place", "booked" → "book"; null when not an authoring verb. */
export function authoringVerb(word: string): string | null {
  const forms = [word, word.replace(/e?s$/, ""), word.replace(/s$/, ""), word.replace(/ies$/, "y")];
  forms.push(word.replace(/d$/, ""), word.replace(/ed$/, ""), word.replace(/([^aeiou])\1ed$/, "$1"));
  if (word === "made") forms.push("make");
  if (word === "wrote" || word === "written") forms.push("write");
  if (word === "sent") forms.push("send");
  if (word === "gave" || word === "given") forms.push("give");
  if (word === "bought") forms.push("buy");
  if (word === "left") forms.push("leave");
  return forms.find((form) => AUTHORING_VERBS.has(form)) ?? null;
}

/** Words between two record types that make the second the parent: "treatments performed BY dentists". */
export const CHILD_TO_PARENT =
  /\b(?:belongs?\s+to|(?:spread|distributed|scattered|located|deployed|installed|placed|mounted)\s+(?:over|across|throughout|around)|(?:is|are)\s+(?:owned|held|managed|run)\s+by|owned\s+by|of|for|by|on|under|in|into|at|from|with|to|per|within|inside|between|against|about|regarding|concerning)\s*(?:a|an|the|one|their|its|his|her|each|exactly one|single|one of (?:the|our|their|its|his|her|your|these|those)(?:\s+\d+)?|\d+)?\s*$/;

/** "has many", "can have several", "contains": the first is the parent of the second. */
export const PARENT_TO_CHILDREN =
  /^\s*(?:(?:can|may|will|should)\s+)?(?:has|have|having|own|owns|contain|contains|include|includes|hold|holds|keep|keeps|manage|manages|maintain|maintains|run|runs|operate|operates|get|gets|receive|receives)\b\s*(?:many|multiple|several|one or more|two|three|four|five|six|seven|eight|nine|ten|\d+|up to \d+|zero or more|a list of|lists of|any number of|some|their|its|his|her|own|numerous|a|an)?\s*(?:own\s+)?$/;

/** "X has a Y" / "each X has one Y": the second is the parent (X belongs to Y). */
export const HAS_ONE =
  /^\s*(?:(?:must|should|can|will)\s+)?(?:has|have|having|is for|are for|references?|links? to|points? to)\s+(?:a|an|one|exactly one|a single|their|its)\s*$/;

/** Words of ownership: "users own their notes", "notes are owned by users". */
export const OWNERSHIP = /\b(?:own|owns|owned|their own|belongs? to|private to|scoped to)\b/;

/** Modal and auxiliary words to skip when reading "admins can only view patients". */
export const AUXILIARIES = new Set([
  "can",
  "could",
  "may",
  "might",
  "must",
  "should",
  "shall",
  "will",
  "would",
  "need",
  "needs",
  "to",
  "be",
  "able",
  "is",
  "are",
  "also",
  "only",
  "just",
  "then",
  "always",
  "never",
  "not",
  "cannot",
  "can't",
  "don't",
  "do",
  "does",
  "want",
  "wants",
  "allowed",
  "permitted",
  "easily",
  "quickly",
  "directly",
  "and",
  "or",
]);

/**
 * The records a verb makes, most usual first: "customers subscribe to plans" makes subscriptions,
 * "candidates apply" an application. The first is the nominal of a linking verb; the rest are the
 * other names a brief may give the same record.
 */
export const RECORDS_OF_VERB: Readonly<Record<string, readonly string[]>> = {
  subscribe: ["subscription"],
  enroll: ["enrollment", "enrolment"],
  enrol: ["enrollment", "enrolment"],
  register: ["registration"],
  attend: ["attendance"],
  book: ["booking", "reservation", "appointment"],
  reserve: ["reservation", "booking"],
  borrow: ["loan"],
  rent: ["rental"],
  join: ["membership"],
  apply: ["application"],
  order: ["order"],
  review: ["review"],
  rate: ["rating"],
  assign: ["assignment"],
  donate: ["donation"],
  purchase: ["purchase"],
  buy: ["purchase"],
  visit: ["visit"],
  submit: ["submission", "application"],
  complain: ["complaint"],
  bid: ["bid"],
  vote: ["vote"],
  claim: ["claim"],
  request: ["request"],
  signup: ["signup", "registration"],
};
