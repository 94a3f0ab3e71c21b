/**
 * One test per phrasing rule of the brief reader, each on a brief of its own (not a corpus brief),
 * so that a rule that stops working says which phrasing broke.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileBrief, type IR, type Overlay } from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

let overlayCatalog: Overlay[];
beforeAll(async () => {
  overlayCatalog = (await loadCatalog()).catalog;
});

const compile = (brief: string): IR => compileBrief(brief, { overlayCatalog });
const names = (ir: IR): string[] => ir.entities.map((e) => e.name);
const fieldsOf = (ir: IR, entity: string): string[] =>
  ir.entities.find((e) => e.name === entity)?.fields.map((f) => f.name) ?? [];
const links = (ir: IR): string[] => ir.relations.map((r) => `${r.from} ${r.kind} ${r.to}`);
const field = (ir: IR, entity: string, name: string) =>
  ir.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === name);
/** The app's display name for a brief. */
const nameOf = (brief: string): string => compile(brief).app.name;
/** The names of the IR's roles. */
const roleNames = (ir: IR): string[] => ir.auth.roles.map((r) => r.name);
/** The verbs of all operations, CRUD and custom. */
const verbsOf = (ir: IR): string[] => ir.operations.map((o) => o.verb);
/** Custom actions as `Entity.verb`. */
const actionsOf = (ir: IR): string[] =>
  ir.operations.filter((o) => o.kind === "action").map((o) => `${o.entity}.${o.verb}`);
/** A role's grants as entity → permissions. */
const grantsByEntity = (ir: IR, role: string): Record<string, string[]> =>
  Object.fromEntries(
    ir.auth.roles.find((r) => r.name === role)?.grants.map((g) => [g.entity, g.permissions]) ?? [],
  );

describe("relations: who creates what", () => {
  it("makes the author of a record its parent", () => {
    const ir = compile(
      "Tenants file maintenance requests (title, description, urgency). Landlords manage buildings (address, floors).",
    );
    expect(links(ir)).toContain("Tenant one-to-many MaintenanceRequest");
  });

  it("reads the verb after a modal and a quantifier", () => {
    const ir = compile("Authors can write several articles (headline, body). Readers leave comments (text).");
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Author one-to-many Article", "Reader one-to-many Comment"]),
    );
  });

  it("keeps a verb of permission a permission", () => {
    const ir = compile("Vendors (name, email) supply parts (sku, price). Admins can create vendors.");
    expect(links(ir).some((link) => link.startsWith("Admin"))).toBe(false);
    expect(names(ir)).not.toContain("Admin");
  });
});

describe("relations: what is not a relation", () => {
  it("does not link across a subordinate clause", () => {
    const ir = compile(
      "Sensor readings (value, unit, taken at) are stored as gateways forward them. Gateways have a name.",
    );
    expect(links(ir)).not.toContain("SensorReading one-to-many Gateway");
  });

  it("reads 'can track a thing' as what a person does, not as the person's fields", () => {
    const ir = compile(
      "Couriers deliver parcels (weight, barcode). Recipients can track a parcel by barcode.",
    );
    expect(fieldsOf(ir, "Recipient")).not.toContain("parcel");
    expect(links(ir)).not.toContain("Parcel one-to-many Recipient");
  });
});

describe("lists inside parentheses", () => {
  it("keeps a semicolon inside parentheses within the field list", () => {
    const ir = compile(
      "Crews log incidents (severity: minor, major, critical; reported at, location, summary).",
    );
    const incident = ir.entities.find((e) => e.name === "Incident");
    expect(incident?.fields.find((f) => f.name === "severity")?.enumValues).toEqual([
      "minor",
      "major",
      "critical",
    ]);
    expect(fieldsOf(ir, "Incident")).toEqual(expect.arrayContaining(["reportedAt", "location", "summary"]));
  });

  it("shares a suffix only within one item", () => {
    const ir = compile("Seasons (name, opening and closing date; ticket price).");
    expect(fieldsOf(ir, "Season")).toEqual(
      expect.arrayContaining(["name", "openingDate", "closingDate", "ticketPrice"]),
    );
  });
});

describe("a second predicate of the subject", () => {
  it("gives the list after 'and has' to the clause's subject, not to the object before it", () => {
    const ir = compile(
      "Each boat belongs to a marina and has a hull number, length, class (dinghy, keelboat, catamaran) and a berth fee.",
    );
    expect(fieldsOf(ir, "Boat")).toEqual(
      expect.arrayContaining(["hullNumber", "length", "class", "berthFee"]),
    );
    expect(fieldsOf(ir, "Marina")).not.toContain("hullNumber");
    expect(names(ir)).not.toContain("Class");
    expect(links(ir)).toContain("Marina one-to-many Boat");
  });
});

describe("prepositional phrases", () => {
  it("attaches a second prepositional phrase to the record the first one described", () => {
    const ir = compile(
      "Inspections are carried out at a warehouse by an auditor on a given date. Warehouses have a code. Auditors have a name.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Warehouse one-to-many Inspection", "Auditor one-to-many Inspection"]),
    );
    expect(links(ir)).not.toContain("Auditor one-to-many Warehouse");
  });

  it("reads the link without the modifiers of the record after it", () => {
    const ir = compile(
      "Drivers belong to a haulage company. Deliveries are planned between a pickup depot and a drop-off depot at a slot (start, end).",
    );
    expect(links(ir)).toContain("Company one-to-many Driver");
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Depot one-to-many Delivery", "Slot one-to-many Delivery"]),
    );
  });

  it("makes a person the parent of a record they are linked to by a preposition", () => {
    const ir = compile(
      "Referees are assigned to matches. Matches have a date. Coaches reply with notes (text). Players are organised in squads.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining([
        "Referee many-to-many Match",
        "Coach one-to-many Note",
        "Squad one-to-many Player",
      ]),
    );
  });

  it("reads 'with one of the vets' as a parent, not a collection", () => {
    const ir = compile("Walks are booked for a dog with one of the walkers, with a start time.");
    expect(links(ir)).toEqual(expect.arrayContaining(["Walker one-to-many Walk", "Dog one-to-many Walk"]));
    expect(fieldsOf(ir, "Walk")).toContain("startsAt");
  });
});

describe("records that turn into others", () => {
  it("links a record to the one it becomes", () => {
    const ir = compile(
      "Estimates (labour hours, parts cost). Signed estimates become jobs (bay, mechanic). Leads are converted into customers.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Estimate one-to-one Job", "Lead one-to-one Customer"]),
    );
  });
});

describe("lists after the object of a verb", () => {
  it("gives the parenthesised list to the object, not to the subject", () => {
    const ir = compile(
      "Each band has songs (title, length in seconds, key: major, minor). Bands have a name and a genre.",
    );
    expect(fieldsOf(ir, "Song")).toEqual(expect.arrayContaining(["title", "lengthInSeconds", "key"]));
    expect(
      ir.entities.find((e) => e.name === "Song")?.fields.find((f) => f.name === "key")?.enumValues,
    ).toEqual(["major", "minor"]);
  });

  it("takes the short items after any 'name:' as its values", () => {
    const ir = compile(
      "Firefighters (name, phone, rank: firefighter, lieutenant, captain) are on shifts (start, end).",
    );
    const rank = ir.entities.find((e) => e.name === "Firefighter")?.fields.find((f) => f.name === "rank");
    expect(rank?.enumValues).toEqual(["firefighter", "lieutenant", "captain"]);
  });

  it("keeps a colon inside parentheses in the list", () => {
    const ir = compile("Tenants (name, email, lease: fixed term / rolling / short stay) rent flats.");
    const lease = ir.entities.find((e) => e.name === "Tenant")?.fields.find((f) => f.name === "lease");
    expect(lease?.enumValues).toEqual(["fixed_term", "rolling", "short_stay"]);
  });
});

describe("details given after a verb or a pronoun", () => {
  it("reads 'riders register with name, email and phone' as the riders' fields", () => {
    const ir = compile(
      "Tutors sign up with name, email (unique) and a subject. Tutors teach lessons (start, end).",
    );
    expect(fieldsOf(ir, "Tutor")).toEqual(expect.arrayContaining(["name", "email", "subject"]));
  });

  it("gives 'It records …' to the record the sentence before was about", () => {
    const ir = compile(
      "A Voyage is sailed by a Skipper on a Yacht. It records departure time, arrival time and the distance (nm).",
    );
    expect(fieldsOf(ir, "Voyage")).toEqual(
      expect.arrayContaining(["departureTime", "arrivalTime", "distance"]),
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Skipper one-to-many Voyage", "Yacht one-to-many Voyage"]),
    );
  });

  it("reads a bullet that is only a list, under a heading that names a record, as its fields", () => {
    const ir = compile(
      "# Brewery\n\n## Batches\n\n- code, style, brew date, volume (litres), stage: mashing / fermenting / packaged, notes\n",
    );
    expect(fieldsOf(ir, "Batch")).toEqual(
      expect.arrayContaining(["code", "style", "brewDate", "volume", "stage", "notes"]),
    );
    const batch = ir.entities.find((e) => e.name === "Batch");
    expect(batch?.fields.find((f) => f.name === "volume")?.type).toBe("decimal");
    expect(batch?.fields.find((f) => f.name === "stage")?.enumValues).toEqual([
      "mashing",
      "fermenting",
      "packaged",
    ]);
  });

  it("gives the list after 'has many X:' to X", () => {
    const ir = compile(
      "A quote has many quote lines: item, quantity (int), unit price (decimal). Quotes have a number.",
    );
    expect(fieldsOf(ir, "QuoteLine")).toEqual(expect.arrayContaining(["item", "quantity", "unitPrice"]));
    expect(fieldsOf(ir, "Quote")).not.toContain("unitPrice");
  });

  it("reads a unit in parentheses as a number", () => {
    const ir = compile("Hikes (name, length (km), climb time (minutes), difficulty).");
    const hike = ir.entities.find((e) => e.name === "Hike");
    expect(hike?.fields.find((f) => f.name === "length")?.type).toBe("decimal");
    expect(hike?.fields.find((f) => f.name === "climbTime")?.type).toBe("integer");
  });

  it("keeps a record whose only listed detail is a time", () => {
    const ir = compile("Sailings (departure time). Harbour masters can delay or cancel a sailing.");
    expect(names(ir)).toContain("Sailing");
  });
});

describe("actions on what a pronoun or a preposition names", () => {
  it("reads 'marks it as paid' as an action on the record named before", () => {
    const ir = compile("Members get a monthly statement (total, due date). The treasurer marks it as paid.");
    expect(actionsOf(ir)).toContain("Statement.mark-paid");
  });

  it("reads 'mark as picked up' and 'as checked in' as actions", () => {
    const ir = compile(
      "Parcels (barcode, weight). Couriers mark a parcel as picked up. Visits (date). Guards mark each visit as checked in.",
    );
    const verbs = actionsOf(ir);
    expect(verbs).toEqual(expect.arrayContaining(["Parcel.mark-picked-up", "Visit.checkin"]));
  });

  it("reads 'mark it accepted or declined' and 'start and complete a job' as actions", () => {
    const ir = compile(
      "Bids (amount). Brokers send a bid and mark it accepted or declined. Crews (name). Crews can start and complete a shift (date).",
    );
    const verbs = actionsOf(ir);
    expect(verbs).toEqual(
      expect.arrayContaining(["Bid.mark-accepted", "Bid.mark-declined", "Shift.start", "Shift.complete"]),
    );
  });

  it("keeps 'a start station' a record though 'start' is an action", () => {
    const ir = compile("A Ride goes from a start Depot to an end Depot. Depots have a name.");
    expect(links(ir)).toContain("Depot one-to-many Ride");
  });

  it("assigns on the record something is assigned to, unless that is a person", () => {
    const ir = compile(
      "Jobs (address, date). Vans (plate). Dispatchers assign a van to a job. Tickets (subject). Leads assign a ticket to an agent.",
    );
    const actions = ir.operations.filter((o) => o.verb === "assign").map((o) => o.entity);
    expect(actions).toEqual(expect.arrayContaining(["Job", "Ticket"]));
    expect(actions).not.toContain("Van");
  });
});

describe("a bare head noun after its compound", () => {
  it("means the compound named before it", () => {
    const ir = compile(
      "Audit findings (title, risk level) are raised by auditors. Managers respond to findings with action plans.",
    );
    expect(names(ir)).toContain("AuditFinding");
    expect(names(ir)).not.toContain("Finding");
  });

  it("reads 'a report' as the expense report of the brief", () => {
    const ir = compile(
      "Travel claims app. A traveller submits a claim with one or more receipts (date, amount, vendor).",
    );
    expect(links(ir)).toContain("TravelClaim one-to-many Receipt");
  });
});

describe("clauses that relate nothing", () => {
  it("does not carry a subject into a clause that starts with a participle adjective", () => {
    const ir = compile(
      "Scouts nominate players, coaches rate the nomination, and accepted nominations become contracts (salary, length).",
    );
    expect(links(ir).some((link) => link.startsWith("Scout") && link.endsWith("Contract"))).toBe(false);
  });

  it("does not link across a comma that starts a new subject", () => {
    const ir = compile(
      "Guests apply online, hosts review the applications. Hosts have listings (title, nightly rate).",
    );
    expect(links(ir)).not.toContain("Guest one-to-many Host");
  });

  it("reads 'status: open, under review' as values, not as a link to a review", () => {
    const ir = compile("Claims (amount, status: open, under review, settled). Reviews (score, notes).");
    const claim = ir.entities.find((e) => e.name === "Claim");
    expect(claim?.fields.find((f) => f.name === "status")?.enumValues).toContain("under_review");
    expect(links(ir)).not.toContain("Review one-to-many Claim");
  });

  it("keeps reading and editing a permission, not a relation", () => {
    const ir = compile("Auditors review invoices (number, total). Invoices belong to suppliers (name).");
    expect(names(ir)).not.toContain("Auditor");
  });
});

describe("what is not a record of the application", () => {
  it("skips the writer describing themselves", () => {
    const ir = compile(
      "We're a cooperative with no budget. Members (name, share count) attend meetings (date).",
    );
    expect(names(ir)).not.toContain("Cooperative");
  });

  it("skips a known noun named only under a foreign modifier", () => {
    const ir = compile(
      "Parking permits (plate, zone, expiry) are issued to residents (name, address). Our platform team will host it.",
    );
    expect(names(ir)).not.toContain("Team");
  });

  it("reads a verb after a relative pronoun as a verb", () => {
    const ir = compile(
      "Patients (name) sign in through a portal that issues tokens. Clinics (name) have patients.",
    );
    expect(names(ir)).not.toContain("Issue");
  });
});

describe("fields written after a verb", () => {
  it("reads 'X register (a, b, c)' as the fields of X", () => {
    const ir = compile("Volunteers sign up (name, phone, availability). Events have volunteers.");
    expect(fieldsOf(ir, "Volunteer")).toEqual(expect.arrayContaining(["name", "phone", "availability"]));
  });

  it("reads 'number of children' as a count, not a collection", () => {
    const ir = compile("Families (surname, number of children, number of adults) book campsites (code).");
    expect(fieldsOf(ir, "Family")).toEqual(expect.arrayContaining(["numberOfChildren", "numberOfAdults"]));
    expect(names(ir)).not.toContain("Child");
  });
});

describe("fields named after verbs and records", () => {
  it("reads 'issue date' and 'order number' as fields, not as an Issue or an action", () => {
    const ir = compile("Receipts (receipt number, issue date, total) belong to stores (name).");
    expect(names(ir)).not.toContain("Issue");
    expect(fieldsOf(ir, "Receipt")).toEqual(expect.arrayContaining(["issueDate", "receiptNumber"]));
    expect(ir.operations.some((op) => op.verb === "issue")).toBe(false);
  });

  it("gives a bare list after a clause to that clause's record", () => {
    const ir = compile(
      "- quotes belong to a customer; quote number (unique), valid until, total, status (draft / sent)",
    );
    expect(fieldsOf(ir, "Quote")).toEqual(
      expect.arrayContaining(["quoteNumber", "validUntil", "total", "status"]),
    );
  });

  it("does not read 'need to <verb>' as a list of fields", () => {
    const ir = compile(
      "Tutors (name, subject) need to confirm a lesson and cancel a lesson. Lessons (date, length).",
    );
    expect(fieldsOf(ir, "Tutor").some((f) => /confirm|cancel/i.test(f))).toBe(false);
  });
});

describe("exports and whom they are for", () => {
  it("finds 'export X to CSV' after other verbs in the sentence", () => {
    const ir = compile(
      "Coaches (name) plan sessions (date, drills). Coaches can rate a session, and export sessions to CSV for their club.",
    );
    expect(ir.operations.some((op) => op.kind === "export" && op.entity === "Session")).toBe(true);
  });

  it("does not make a role a record because something is done for them", () => {
    const ir = compile(
      "Bakers log batches (flour kg, yield) and export batches to CSV for their accountant.",
    );
    expect(names(ir)).not.toContain("Accountant");
  });
});

describe("roles in prose", () => {
  const grantsOf = (ir: IR, role: string) => ir.auth.roles.find((r) => r.name === role)?.grants ?? [];

  it("keeps a role that is only denied something", () => {
    const ir = compile(
      "Caseworkers (name) open claims (title, status). Interns can't see claims at all; only caseworkers can write or edit them.",
    );
    expect(roleNames(ir)).toContain("intern");
    expect(grantsOf(ir, "caseworker")).toContainEqual({ entity: "Claim", permissions: ["create", "update"] });
  });

  it("reads 'Role: can …' and 'Role: everything' lines and numbered clauses", () => {
    const ir = compile(
      "Crates (code, weight) hold bottles (label, vintage).\n\n- Cellar masters: everything.\n- Foremen: can create crates, read bottles.\n\n4.2 Sommeliers may read bottles but shall not delete them.",
    );
    expect(roleNames(ir)).toEqual(expect.arrayContaining(["cellar-master", "foreman", "sommelier"]));
    expect(grantsOf(ir, "sommelier").flatMap((g) => g.permissions)).not.toContain("delete");
  });

  it("reads agent nouns as people and marking as an action", () => {
    const ir = compile(
      "Editors (name) assign manuscripts (title) to reviewers. Proofreaders only see manuscripts and can mark a manuscript as done.",
    );
    expect(grantsOf(ir, "proofreader")).toContainEqual({
      entity: "Manuscript",
      permissions: ["act", "read"],
    });
  });
});

describe("roles named without 'can'", () => {
  it("reads 'X only see and edit their own Y' as a role", () => {
    const ir = compile(
      "Reviews (rating, text). Critics only see & edit their own reviews, never other critics'.",
    );
    expect(roleNames(ir)).toContain("critic");
    expect(grantsByEntity(ir, "critic").Review).toEqual(expect.arrayContaining(["read", "update"]));
  });

  it("reads each comma part of a sentence as a clause of its own", () => {
    const ir = compile(
      "Bakery pre-order API: guests pre-order cakes for their parties, counter staff mark orders as collected.",
    );
    expect(roleNames(ir)).toEqual(expect.arrayContaining(["guest", "counter-staff"]));
  });

  it("reads 'I (as lab manager) can …' as the writer's role", () => {
    const ir = compile("Work orders (case number). I (as lab manager) can put an order on hold.");
    expect(roleNames(ir)).toContain("lab-manager");
  });

  it("ends a role's name at its preposition and does not read logging in as creating", () => {
    const ir = compile(
      "Invoices (number, total). Accountants from the client firms should be able to log in and see their invoices.",
    );
    expect(roleNames(ir)).toContain("accountant");
    expect(roleNames(ir)).not.toContain("client-firm");
    expect(Object.values(grantsByEntity(ir, "accountant")).flat()).not.toContain("create");
  });
});

describe("lines and labels", () => {
  it("reads 'Label: list' lines as statements of their own, with or without an emoji", () => {
    const ir = compile(
      "Quiz night app\n\n🎯 Teams: name, table number\n🙋 Players: name, email\nRounds: title, theme",
    );
    expect(fieldsOf(ir, "Team")).toEqual(["name", "tableNumber"]);
    expect(fieldsOf(ir, "Player")).toEqual(expect.arrayContaining(["name", "email"]));
    expect(fieldsOf(ir, "Round")).toEqual(expect.arrayContaining(["title", "theme"]));
  });

  it("reads a label's long item without a verb as part of its list", () => {
    const ir = compile(
      "Posters: title, artist, size (A3, A2, A1, A0) - one print run per poster. Posters have a price.",
    );
    expect(fieldsOf(ir, "Poster")).toEqual(expect.arrayContaining(["title", "artist", "size"]));
  });

  it("does not make records of section names or price lines", () => {
    const ir = compile(
      "# Quiz app\n\n## Quizzes\n\n- title, topic, time limit (minutes)\n\n## Pricing\n\n- pro: unlimited, $3/month\n\n## Misc\n\n- hosts can publish a quiz\n",
    );
    expect(names(ir)).toEqual(["Quiz"]);
  });

  it("does not make a role a record because a file is made for them", () => {
    const ir = compile("Sales (date, total). Export sales per month to CSV for the bookkeeper.");
    expect(names(ir)).not.toContain("Bookkeeper");
  });

  it("does not read quantities after a colon as fields", () => {
    const ir = compile("Notes app. Notes (title, body). Free tier: 20 notes; pro tier: 500 notes.");
    expect(names(ir)).not.toContain("Tier");
  });
});

describe("people and what is theirs", () => {
  it("makes a person who applies for a record its parent", () => {
    const ir = compile(
      "Fishing licences API: anglers (name, email) apply for a licence (season, fee) for one of their boats (name, length).",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Angler one-to-many Licence", "Angler one-to-many Boat"]),
    );
  });

  it("gives a person what the brief calls theirs", () => {
    const ir = compile(
      "Tenants (name) rent lockers (number, size). Tenants can cancel their own bookings (date, locker).",
    );
    expect(links(ir)).toContain("Tenant one-to-many Booking");
  });

  it("reads a word after 'we' as a verb", () => {
    const ir = compile(
      "Suppliers (name, email) ship parcels (weight); we store their IBAN, which must be encrypted.",
    );
    expect(names(ir)).not.toContain("Store");
  });

  it("does not make 'everything' a role", () => {
    const ir = compile(
      "Albums (title) have photos (caption). Project managers see everything and can archive an album.",
    );
    expect(roleNames(ir)).not.toContain("everything");
  });
});

describe("lifecycles", () => {
  const statusOf = (ir: IR, entity: string): string[] | null =>
    ir.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === "status")?.enumValues ?? null;

  it("reads 'can be a, b or c' as the record's states", () => {
    const ir = compile(
      "Radio shows have segments (title, length). Segments can be planned, recorded or aired.",
    );
    expect(statusOf(ir, "Segment")).toEqual(["planned", "recorded", "aired"]);
  });

  it("leaves 'can be upgraded or cancelled' to the actions", () => {
    const ir = compile(
      "Memberships (tier, price) belong to gyms (name). A membership can be renewed or frozen.",
    );
    expect(statusOf(ir, "Membership")).not.toEqual(["renewed", "frozen"]);
  });

  it("reads a value before a field name: 'low, normal or high priority'", () => {
    const ir = compile(
      "Bugs (title, steps) belong to projects (name). Bugs can be low, normal or high priority.",
    );
    const priority = ir.entities.find((e) => e.name === "Bug")?.fields.find((f) => f.name === "priority");
    expect(priority?.enumValues).toEqual(["low", "normal", "high"]);
  });

  it("reads a chain of arrows, with alternatives after a slash", () => {
    const ir = compile(
      "Framing shop. Customers order frames (width, height). Frames have a status measured -> cut -> glazed -> picked up / delivered.",
    );
    expect(statusOf(ir, "Frame")).toEqual(["measured", "cut", "glazed", "picked_up", "delivered"]);
  });

  it("reads 'goes through stages' and keeps the rest of the sentence", () => {
    const ir = compile(
      "Garden design studio. Clients commission designs (budget, area). Each design goes through stages — brief, sketch, planting plan, handover — and the designer logs notes (text) on it.",
    );
    expect(statusOf(ir, "Design")).toEqual(["brief", "sketch", "planting_plan", "handover"]);
    expect(names(ir)).not.toContain("Stage");
  });

  it("gives a statuses line of its own to the record the brief marks with those states", () => {
    const ir = compile(
      "bakery pre-orders. customers (name, phone) place cakes orders. the baker marks an order baked, the counter marks it collected. statuses: new, baked, collected, cancelled.",
    );
    const order = ir.entities.find((e) => e.fields.some((f) => f.enumValues?.includes("baked")));
    expect(order?.name).toMatch(/Order$/);
    expect(order?.fields.find((f) => f.name === "status")?.enumValues?.slice(0, 4)).toEqual([
      "new",
      "baked",
      "collected",
      "cancelled",
    ]);
    expect(statusOf(ir, "Customer")).toBeNull();
  });

  it("replaces the domain's default states with the brief's", () => {
    const ir = compile("Online shop. Customers place orders. Order status: basket, paid, packed, posted.");
    expect(statusOf(ir, "Order")).toEqual(["basket", "paid", "packed", "posted"]);
  });

  it("reads an enum's values from a table's notes column", () => {
    const ir = compile(
      "### Kiln\n\n| field | type | notes |\n| --- | --- | --- |\n| name | string | required, unique |\n| status | enum | idle, firing or cooling |\n",
    );
    const kiln = ir.entities.find((e) => e.name === "Kiln");
    expect(kiln?.fields.find((f) => f.name === "status")?.enumValues).toEqual(["idle", "firing", "cooling"]);
    expect(kiln?.fields.find((f) => f.name === "name")).toMatchObject({ required: true, unique: true });
  });

  it("reads a flag among the values as a flag", () => {
    const ir = compile(
      "Kayaks (name, status (required, docked, rented, repairing)) are kept in sheds (code).",
    );
    const status = ir.entities.find((e) => e.name === "Kayak")?.fields.find((f) => f.name === "status");
    expect(status).toMatchObject({ required: true, enumValues: ["docked", "rented", "repairing"] });
  });
});

describe("numbered outlines", () => {
  it("reads '2.1 Record: fields' as a record and its fields", () => {
    const ir = compile(
      "1. Data\n1.1 Boat: hull number (unique), name, length (m).\n1.2 Mooring: berth code, monthly fee (EUR).\n2. Functions\n2.1 The harbour master can assign a boat to a mooring.\n",
    );
    expect(names(ir)).toEqual(expect.arrayContaining(["Boat", "Mooring"]));
    expect(fieldsOf(ir, "Boat")).toEqual(expect.arrayContaining(["hullNumber", "name", "length"]));
  });

  it("reads each sentence of a numbered item on its own", () => {
    const ir = compile(
      "3 Rentals\n3.1 A Rental is made by a Skier for a pair of Skis. It records start time, end time and the price (CHF).\n",
    );
    expect(fieldsOf(ir, "Rental")).toEqual(expect.arrayContaining(["startsAt", "endsAt", "price"]));
  });

  it("does not make a short statement under a section heading a field", () => {
    const ir = compile(
      "## Plots\n\n- number, size (m2), rent (EUR)\n\n## Rules\n\n- A gardener rents one plot per season. Water is shared. Rent is paid yearly.\n",
    );
    expect(names(ir)).not.toContain("Rule");
  });
});

describe("typed by their words", () => {
  it("reads a currency as money and a unit after 'in' as a number", () => {
    const ir = compile("Ferry bookings (fare (NOK), crossing time in minutes, deck length in metres).");
    const fields = ir.entities.find((e) => e.name.endsWith("Booking"))?.fields ?? [];
    expect(fields.find((f) => f.name === "fare")).toMatchObject({
      type: "decimal",
      format: "money",
      currency: "NOK",
    });
    expect(fields.find((f) => f.name === "crossingTimeInMinutes")?.type).toBe("integer");
    expect(fields.find((f) => f.name === "deckLengthInMetres")?.type).toBe("decimal");
  });
});

describe("relations: repeated and periodic", () => {
  it("reads a record named again in the singular: 'a tag is shared across recipes'", () => {
    const ir = compile(
      "Songs (title) can have many moods and a mood is shared across songs. Listeners (email) rate songs.",
    );
    expect(ir.relations.find((r) => [r.from, r.to].sort().join() === "Mood,Song")?.kind).toBe("many-to-many");
  });

  it("reads 'one X per week' as many over time", () => {
    const ir = compile(
      "Allotment club. A member has one work rota (hours, tasks) per month. Members (name) pay fees.",
    );
    expect(links(ir)).toContain("Member one-to-many Rota");
  });

  it("keeps the owner of a record that people also favourite", () => {
    const ir = compile(
      "Knitting patterns (title, yarn weight). Users can favourite patterns; users can only edit their own patterns.",
    );
    expect(links(ir)).toContain("User one-to-many Pattern");
  });

  it("does not make a role that manages records their parent", () => {
    const ir = compile(
      "Volunteers sign up for shifts (date, hours). Staff: manage shifts and sign-ups; read volunteers.",
    );
    expect(links(ir).some((link) => link.startsWith("Staff"))).toBe(false);
  });
});

describe("what the writer says of themselves and their sections", () => {
  it("does not make the writer's own organisation, a verb after an adverb, or a range records", () => {
    const ir = compile(
      "A backend for our bike repair shop (2 mechanics, around 40 repairs a week). Customers book repairs (bike model, fault) for a date range. Photos go to S3; we only store the URL.",
    );
    expect(names(ir)).not.toEqual(expect.arrayContaining(["Shop"]));
    expect(names(ir)).not.toContain("Store");
    expect(names(ir)).not.toContain("Range");
    expect(names(ir)).toContain("Repair");
  });

  it("does not make a 'Non-functional' section a record", () => {
    const ir = compile(
      "## Tools\n\n- name, serial number\n\n## Non-functional\n\n- Audit log on tool loans.\n- Go backend.\n",
    );
    expect(names(ir)).not.toContain("NonFunctional");
  });

  it("keeps two records side by side inside the preposition before them", () => {
    const ir = compile("Guests (name) make reservations for a cabin category at a campsite (name).");
    expect(links(ir)).toContain("Campsite one-to-many Reservation");
  });

  it("reads 'for its orders' as the owner's", () => {
    const ir = compile(
      "Growers (name) deliver crates (weight). We pay each grower monthly for its delivered crates.",
    );
    expect(links(ir)).toContain("Grower one-to-many Crate");
  });
});

describe("fields: who they belong to", () => {
  it("reads a word in -ing after an article as a record", () => {
    const ir = compile("Each wedding (date, venue name, budget) has guests (name, email).");
    expect(names(ir)).toContain("Wedding");
    expect(links(ir)).toContain("Wedding one-to-many Guest");
  });

  it("gives a record's list to the record: 'there's a guest list — name, email'", () => {
    const ir = compile(
      "For each gala there's an attendee list - attendee name, email, dietary needs and a seat number.",
    );
    expect(fieldsOf(ir, "Attendee")).toEqual(expect.arrayContaining(["email", "seatNumber"]));
  });

  it("does not read an aside in parentheses as fields", () => {
    const ir = compile(
      "Clients (name) order tiles (size). A refit (refits are free, we just log the reason) is rare.",
    );
    expect(fieldsOf(ir, "Refit")).not.toContain("weJustLogTheReason");
  });

  it("reads a list the writer says a record 'just needs'", () => {
    const ir = compile(
      "Tenants (name) pay rent. A receipt just needs a number, the month, the total and paid yes/no.",
    );
    expect(fieldsOf(ir, "Receipt")).toEqual(expect.arrayContaining(["number", "month", "total", "paid"]));
  });

  it("gives the group after 'per week' to the record before it", () => {
    const ir = compile(
      "Households (name) get a veg box per week (delivery date, size). Drivers deliver boxes.",
    );
    expect(fieldsOf(ir, "VegBox").length > 0 ? fieldsOf(ir, "VegBox") : fieldsOf(ir, "Box")).toContain(
      "deliveryDate",
    );
  });

  it("gives what a person logs against a record to what is logged", () => {
    const ir = compile("Referees log incidents against a match: minute, description, severity.");
    expect(fieldsOf(ir, "Incident")).toEqual(expect.arrayContaining(["minute", "description", "severity"]));
    expect(fieldsOf(ir, "Match")).not.toContain("minute");
  });

  it("reads an hourly rate as money and an interest rate as a percentage", () => {
    const ir = compile("Tutors (name, hourly rate) give lessons. Loans (amount, interest rate) fund tutors.");
    const field = (entity: string, name: string) =>
      ir.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === name);
    expect(field("Tutor", "hourlyRate")?.format).toBe("money");
    expect(field("Loan", "interestRate")?.format).toBe("percent");
  });
});

describe("actions the lexicon does not know, and actions without a record for object", () => {
  it("reads any verb after a modal as an action on its object", () => {
    const ir = compile(
      "Boats (name, length). Harbour masters can impound a boat. Skippers can charter boats.",
    );
    expect(actionsOf(ir)).toContain("Boat.impound");
    // Chartering is not in any lexicon either: a verb after "can" is the brief's own action.
    expect(actionsOf(ir)).toContain("Boat.charter");
  });

  it("keeps verbs of creating, having and linking out of the actions", () => {
    const ir = compile("Hikers (name). Hikers can book tours (date) and can have badges (title).");
    expect(actionsOf(ir)).toEqual([]);
  });

  it("names the brief's own verb with its object when the object is not a record", () => {
    const ir = compile("Drafts (title, body). Editors approve a draft or request changes with a note.");
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Draft.approve", "Draft.request-changes"]));
  });

  it("acts on the record that holds the noun, or the one after a preposition", () => {
    const ir = compile(
      "Guests (name, email, credit balance). Prizes (title, cost). Clerks can adjust credit manually. Guests can redeem credit for prizes.",
    );
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Guest.adjust", "Prize.redeem"]));
  });

  it("acts on the one record the subject holds when the verb has no object", () => {
    const ir = compile(
      "Players have an account (one each). Accounts hold a balance in EUR. Players can top up from a card and withdraw to their bank, also transfer money.",
    );
    expect(actionsOf(ir)).toEqual(
      expect.arrayContaining(["Account.topup", "Account.withdraw", "Account.transfer"]),
    );
  });

  it("acts on the record whose field the verb names", () => {
    const ir = compile(
      "Rooms (number). A booking has a check in date and a check out date. Reception does check in / check out.",
    );
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Booking.checkin", "Booking.checkout"]));
  });

  it("reads a passive assignment as an action on what is assigned to", () => {
    const ir = compile("Jobs (address). Fitters (name). A fitter gets assigned to each job.");
    expect(actionsOf(ir)).toContain("Job.assign");
  });

  it("reads an upper-case abbreviation as the compound record with those initials", () => {
    const ir = compile(
      "Purchase orders (number, total) go to suppliers (name). When the goods arrive, the store marks the PO as received.",
    );
    expect(actionsOf(ir)).toContain("PurchaseOrder.mark-received");
  });

  it("reads 'it' as the last singular thing, not a plural one", () => {
    const ir = compile(
      "Members (name) book classes (date). Each month a member gets an invoice (total) covering their classes; the treasurer marks it as settled.",
    );
    expect(actionsOf(ir)).toContain("Invoice.mark-settled");
  });

  it("does not read the first word of a person's title as the object", () => {
    const ir = compile(
      "Stores (name, city). Products (sku, name, stock count). Store supervisors can adjust stock and create products.",
    );
    expect(actionsOf(ir)).not.toContain("Store.adjust");
    expect(actionsOf(ir)).toContain("Product.adjust");
  });

  it("reads 'mark it as a <noun>' and an 'action:' label", () => {
    const ir = compile(
      "Leads (name, email). Sales reps can mark a lead as a duplicate.\n\n## Timesheet\n- week, hours\n- action: recalculate the timesheet",
    );
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Lead.mark-duplicate", "Timesheet.recalculate"]));
  });
});

describe("records named in a list or by the verb that makes them", () => {
  it("reads a listed plural as a record when the brief gives it fields, though it is a field word", () => {
    const ir = compile(
      "Each project has milestones and labels. A label has a name (unique within a project) and a colour.",
    );
    expect(links(ir)).toContain("Project one-to-many Label");
    expect(fieldsOf(ir, "Project")).not.toContain("labels");
    expect(fieldsOf(ir, "Label")).toEqual(expect.arrayContaining(["name", "color"]));
  });

  it("links both sides to the record a verb names when the brief handles that record", () => {
    const ir = compile(
      "Guests (name, email) book tours (title, date). Guests can cancel a booking until the day before.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Guest one-to-many Booking", "Tour one-to-many Booking"]),
    );
  });

  it("reads a verb after an article as a noun", () => {
    const ir = compile("Routes (name). Each route has a grade and a colour. Setters retire routes.");
    const verbs = ir.operations.filter((o) => o.kind === "action").map((o) => o.verb);
    expect(verbs).toContain("retire");
    expect(verbs).not.toContain("grade");
  });
});

describe("records after 'with', 'get' and 'mark'", () => {
  it("reads 'with a doctor for a time slot' as a link to the doctor, not a field", () => {
    const ir = compile(
      "Owners (name, phone) book visits with a vet for a time slot. Vets have a licence number.",
    );
    expect(links(ir)).toContain("Vet one-to-many Visit");
    expect(fieldsOf(ir, "Visit").some((f) => /vet/i.test(f))).toBe(false);
  });

  it("makes what a record gets its child", () => {
    const ir = compile("Boilers (serial, model) get inspection reports (date, result) from engineers.");
    expect(links(ir)).toContain("Boiler one-to-many InspectionReport");
  });

  it("does not link a person to the record they mark", () => {
    const ir = compile("Libraries (name) lend books (title). Librarians can mark a book as damaged.");
    expect(links(ir).some((link) => link.startsWith("Librarian"))).toBe(false);
  });

  it("reads 'can only see their own' with its modal, not 'can' as a role", () => {
    const ir = compile("Deals have an amount. Reps can only see their own deals; managers see all.");
    expect(roleNames(ir)).not.toContain("can");
    expect(roleNames(ir)).toContain("rep");
  });
});

describe("alternatives in parentheses", () => {
  it("reads '(cash, card or transfer)' as one field's values, not a record and its fields", () => {
    const ir = compile(
      "Members (name, email) pay a yearly fee; for each payment we record the date and method (cash, card or transfer).",
    );
    expect(names(ir)).not.toContain("Method");
    expect(names(ir)).not.toContain("Transfer");
  });

  it("keeps a field list that only has an 'or' inside one item", () => {
    const ir = compile(
      "Customers subscribe to plans (billing interval monthly or yearly, price, trial days).",
    );
    expect(fieldsOf(ir, "Plan")).toEqual(expect.arrayContaining(["price", "trialDays"]));
  });
});

describe("fields written as what the writer needs to know", () => {
  it("reads 'are identified by a code and have …' as a unique key and the fields", () => {
    const ir = compile(
      "Books are identified by a 13-digit ISBN and have a title, a list price and an optional cover URL.",
    );
    const book = ir.entities.find((e) => e.name === "Book");
    expect(book?.fields.find((f) => f.name === "isbn")?.unique).toBe(true);
    expect(book?.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["title", "listPrice", "coverUrl"]),
    );
  });

  it("reads 'we need to know …' as a field list, with 'when it was' and 'whether it was'", () => {
    const ir = compile(
      "For every parcel we need to know the barcode, the weight in kilograms, when it was collected and whether it was signed.",
    );
    const parcel = ir.entities.find((e) => e.name === "Parcel");
    const typeOf = (name: string) => parcel?.fields.find((f) => f.name === name)?.type;
    expect(typeOf("barcode")).toBe("string");
    expect(typeOf("collectedAt")).toBe("datetime");
    expect(typeOf("signed")).toBe("boolean");
  });
});

describe("values, rooms and the one thing a subject has", () => {
  it("makes words given as values an enum, though the name is usually a number", () => {
    const ir = compile("Speakers submit talks (title, abstract, level: beginner/intermediate/advanced).");
    const level = ir.entities.find((e) => e.name === "Talk")?.fields.find((f) => f.name === "level");
    expect(level?.type).toBe("enum");
    expect(level?.enumValues).toEqual(["beginner", "intermediate", "advanced"]);
  });

  it("makes the record something is scheduled into its parent", () => {
    const ir = compile("Talks (title). Rooms (name, capacity). Accepted talks are scheduled into a room.");
    expect(links(ir)).toContain("Room one-to-many Talk");
  });

  it("acts on the only kind of record the subject has", () => {
    const ir = compile(
      "Customers (name, email) have subscriptions (box size, delivery day). Customers can skip a week.",
    );
    expect(actionsOf(ir)).toContain("Subscription.skip-week");
  });
});

describe("buildings, units and what a brief says is worked out", () => {
  it("reads a plural in -ing as a record and units as records when a building has many", () => {
    const ir = compile(
      "Landlords own buildings. Each building has many units. A unit has a number and a floor.",
    );
    expect(names(ir)).toEqual(expect.arrayContaining(["Landlord", "Building", "Unit"]));
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Landlord one-to-many Building", "Building one-to-many Unit"]),
    );
  });

  it("makes whoever signs a record its author", () => {
    const ir = compile("Tenants sign leases (start date, monthly rent) for a flat. Flats (number, floor).");
    expect(links(ir)).toEqual(expect.arrayContaining(["Tenant one-to-many Lease", "Flat one-to-many Lease"]));
  });

  it("keeps what is computed from records out of the records", () => {
    const ir = compile(
      "Teams (name) play matches (date, home goals, away goals). Standings are computed from the matches.",
    );
    expect(names(ir)).not.toContain("Standing");
  });

  it("reads plural nouns in parentheses as the kinds of a record", () => {
    const ir = compile("Employees (name, email) look after assets (laptops, phones, monitors).");
    const type = ir.entities.find((e) => e.name === "Asset")?.fields.find((f) => f.name === "type");
    expect(type?.enumValues).toEqual(["laptop", "phone", "monitor"]);
    expect(fieldsOf(ir, "Asset")).not.toContain("laptops");
  });

  it("makes the record a ticket is about its parent", () => {
    const ir = compile(
      "Assets (serial number, model). Employees raise tickets (title, priority) about assets.",
    );
    expect(links(ir)).toContain("Asset one-to-many Ticket");
  });

  it("reads a verb after a modal as the verb, though it also makes compounds", () => {
    const ir = compile(
      "Restaurants (name, address). Guests can leave reviews (rating, comment) for restaurants.",
    );
    expect(names(ir)).toContain("Review");
    expect(names(ir)).not.toContain("LeaveReview");
    expect(links(ir)).toContain("Restaurant one-to-many Review");
  });

  it("makes a guest who makes reservations their author", () => {
    const ir = compile(
      "Tables (seats, area). Guests (name, phone) make reservations (time, party size) for a table.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Guest one-to-many Reservation", "Table one-to-many Reservation"]),
    );
  });
});

describe("participles, verbs that are no nouns and alternatives inside a list", () => {
  it("reads where a class is held as a place and who teaches it as its parent", () => {
    const ir = compile(
      "Studios (name). Instructors (name). Classes (title) are held in a studio and taught by an instructor.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Studio one-to-many Class", "Instructor one-to-many Class"]),
    );
    expect(links(ir)).not.toContain("Instructor one-to-many Studio");
    expect(verbsOf(ir)).not.toContain("hold");
  });

  it("keeps a hold that is one", () => {
    const ir = compile("Orders (total) can be held by a manager.");
    expect(actionsOf(ir)).toContain("Order.hold");
  });

  it("makes no record of a verb after a noun, and no payment of parts", () => {
    const ir = compile(
      "Mechanics log repairs (cost, date) against a truck. Parts used in a repair come from stock.",
    );
    expect(names(ir)).not.toContain("Come");
    expect(verbsOf(ir)).not.toContain("pay");
  });

  it("reads two bare words joined by 'or' in a list as the record's type", () => {
    const ir = compile("Referees record cards (yellow or red, minute, player) for each match.");
    const card = ir.entities.find((e) => e.name === "Card");
    expect(card?.fields.find((f) => f.name === "type")?.enumValues).toEqual(["yellow", "red"]);
    expect(card?.fields.find((f) => f.name === "minute")?.type).toBe("integer");
    expect(fieldsOf(ir, "Card")).not.toContain("yellow");
  });
});

describe("ranges, whom the software is for and a second verb of having", () => {
  it("reads a numeric range as a number", () => {
    const ir = compile("Reviews (rating 1-5, comment). Tasks (title, priority (1-5), weight 0.5 to 10).");
    const typeOf = (entity: string, field: string) =>
      ir.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === field)?.type;
    expect(typeOf("Review", "rating")).toBe("integer");
    expect(typeOf("Task", "priority")).toBe("integer");
    expect(typeOf("Task", "weight")).toBe("decimal");
  });

  it("keeps whom the app is for out of the records", () => {
    const ir = compile(
      "A volunteer scheduling app for a food pantry. Volunteers (name, email) sign up for shifts (date).",
    );
    expect(names(ir)).not.toContain("Pantry");
    expect(links(ir)).toContain("Volunteer many-to-many Shift");
  });

  it("gives the subject what it has after 'and has'", () => {
    const ir = compile(
      "Companies (name). A deal belongs to a company and has an owner, amount, expected close date and stage (lead, won, lost).",
    );
    expect(fieldsOf(ir, "Deal")).toEqual(expect.arrayContaining(["amount", "expectedCloseDate", "stage"]));
    expect(names(ir)).not.toContain("Stage");
    expect(links(ir)).toContain("Company one-to-many Deal");
  });

  it("reads 'belongs' after a noun-verb as the verb", () => {
    const ir = compile("Customers (name, email). Each order belongs to a customer.");
    expect(names(ir)).not.toContain("Belong");
    expect(links(ir)).toContain("Customer one-to-many Order");
  });
});

describe("schema names, user stories and verbs after 'to'", () => {
  it("reads a CamelCase name as the words of a record", () => {
    const ir = compile(
      "| Entity | Fields |\n|---|---|\n| TimeEntry | task, hours, date |\n| Task | title, estimate hours |\n\nUsers log time entries against tasks.",
    );
    expect(names(ir).filter((name) => name.toLowerCase() === "timeentry")).toEqual(["TimeEntry"]);
    expect(links(ir)).toContain("Task one-to-many TimeEntry");
    const estimate = ir.entities
      .find((e) => e.name === "Task")
      ?.fields.find((f) => f.name === "estimateHours");
    expect(estimate?.type).toBe("decimal");
  });

  it("keeps product names whole", () => {
    const ir = compile("Orders (total, date) are synced to QuickBooks.");
    expect(names(ir)).not.toContain("Book");
  });

  it("reads a user story as what the role can do", () => {
    const ir = compile(
      "- As a patient, I want to book an appointment with a doctor so that I can be seen.\n- As a receptionist, I want to check in patients when they arrive.\n- Patient: name, date of birth\n- Doctor: name, specialty",
    );
    expect(names(ir)).not.toContain("Book");
    expect(links(ir)).toContain("Patient one-to-many Appointment");
    expect(links(ir).some((link) => link.includes("Receptionist"))).toBe(false);
    expect(roleNames(ir)).toEqual(expect.arrayContaining(["patient", "receptionist"]));
  });
});

describe("alternatives, receiving and fields stated in passing", () => {
  it("links a record to each of 'either a desk or a room'", () => {
    const ir = compile(
      "Desks (label, floor). Rooms (name, capacity). A booking is for either a desk or a room.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Desk one-to-many Booking", "Room one-to-many Booking"]),
    );
  });

  it("makes who gets a record its parent", () => {
    const ir = compile("Tenants (name, email). Each month every tenant gets an invoice (amount, due date).");
    expect(links(ir)).toContain("Tenant one-to-many Invoice");
  });

  it("reads 'is for one or more' as many-to-many and keeps the fields after the comma", () => {
    const ir = compile(
      "Dog owners (name, phone) have dogs (name, breed). A walk is for one or more dogs, has a date and a price.",
    );
    expect(links(ir)).toContain("Walk many-to-many Dog");
    expect(fieldsOf(ir, "Walk")).toEqual(expect.arrayContaining(["date", "price"]));
  });

  it("starts a new clause at 'and <people> can'", () => {
    const ir = compile(
      "Walkers (name) and owners (name, phone). Walkers can list their availability and owners can book walks (date, price).",
    );
    expect(links(ir)).not.toContain("Walker one-to-many Owner");
    expect(links(ir)).toContain("Owner one-to-many Walk");
  });

  it("reads 'one type of cover (home, motor)' as the record's cover type", () => {
    const ir = compile(
      "Clients (name). A quote request is for one client and one type of cover (home, motor, travel), has the sum insured and a status.",
    );
    const request = ir.entities.find((e) => e.name === "QuoteRequest");
    const cover = request?.fields.find((f) => f.name === "coverType");
    expect(cover?.type).toBe("enum");
    expect(cover?.enumValues).toEqual(["home", "motor", "travel"]);
    expect(request?.fields.find((f) => f.name === "sumInsured")?.type).toBe("decimal");
  });

  it("reads 'the commission on each policy is a percentage' as a field", () => {
    const ir = compile(
      "Policies (policy number, start date). Our commission on each policy is a percentage.",
    );
    const commission = ir.entities
      .find((e) => e.name === "Policy")
      ?.fields.find((f) => f.name === "commission");
    expect(commission?.type).toBe("decimal");
    expect(commission?.format).toBe("percent");
  });
});

describe("sections, labelled records, joins and deadlines", () => {
  it("reads '## Rules' as a section, not a record", () => {
    const ir = compile(
      "## Entities\n- Candidate: name, email\n\n## Rules\n- Candidates can withdraw their application.\n- GDPR: candidates can request deletion of their data.",
    );
    expect(names(ir)).not.toContain("Rule");
  });

  it("names a record after a label in -ing: 'Job opening: title, …'", () => {
    const ir = compile(
      "- Company: name\n- Job opening: title, location, salary range, status (open, on hold, filled)",
    );
    expect(names(ir)).toContain("JobOpening");
    expect(names(ir)).not.toContain("Job");
    expect(fieldsOf(ir, "JobOpening")).toEqual(expect.arrayContaining(["title", "location", "salaryRange"]));
    // "on hold" is one of the values, not an action on job openings.
    expect(actionsOf(ir)).not.toContain("JobOpening.hold");
  });

  it("reads 'links a candidate to a job opening' as a join, and its named stage as a field", () => {
    const ir = compile(
      "- Candidate: name, email\n- Job opening: title\n- Application: links a candidate to a job opening; stage (sourced, screened, hired)\n\nRecruiters move applications between stages.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Candidate one-to-many Application", "JobOpening one-to-many Application"]),
    );
    expect(names(ir)).not.toContain("Link");
    expect(names(ir)).not.toContain("Stage");
    expect(field(ir, "Application", "stage")?.enumValues).toEqual(["sourced", "screened", "hired"]);
  });

  it("reads 'each waitlist entry records …' as a record with fields and links", () => {
    const ir = compile(
      "Patients (name) join a waitlist for a specialist (name). Each waitlist entry records the patient, the specialist, the referral date, a priority (urgent, soon, routine) and notes.",
    );
    expect(names(ir)).toContain("WaitlistEntry");
    expect(fieldsOf(ir, "WaitlistEntry")).toEqual(
      expect.arrayContaining(["referralDate", "priority", "notes"]),
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Patient one-to-many WaitlistEntry", "Specialist one-to-many WaitlistEntry"]),
    );
  });

  it("reads 'has 48 hours to accept' as a deadline on an action, not a field", () => {
    const ir = compile(
      "Patients (name, email) get offers (slot time). The patient has 48 hours to accept or decline the offer.",
    );
    expect(fieldsOf(ir, "Patient").some((name) => /hours|decline/i.test(name))).toBe(false);
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Offer.accept", "Offer.decline"]));
  });

  it("reads no link across the comma of 'When a slot opens, …' nor to what 'it' is given to", () => {
    const ir = compile(
      "Slots (start time). Coordinators (name). Patients (name). When a slot opens, a coordinator offers it to the next patient.",
    );
    expect(links(ir).filter((link) => link.includes("Coordinator"))).toEqual([]);
  });

  it("measures a size in square metres", () => {
    const ir = compile("Plots (number, size in square metres, bed type (raised, ground)).");
    expect(field(ir, "Plot", "sizeInSquareMetres")?.type).toBe("decimal");
  });

  it("acts on the head of 'approve plot applications'", () => {
    const ir = compile(
      "Plots (number). Applications (submitted on). The committee approves plot applications.",
    );
    expect(actionsOf(ir)).toContain("Application.approve");
    expect(actionsOf(ir)).not.toContain("Plot.approve");
  });

  it("reads a plural field word with fields of its own as a record, and a remark as no fields", () => {
    const ir = compile(
      "Judges (name) record scores (value, comment). Projects (title, votes (computed on the fly, not stored)).",
    );
    expect(names(ir)).toContain("Score");
    expect(fieldsOf(ir, "Score")).toEqual(expect.arrayContaining(["value", "comment"]));
    expect(fieldsOf(ir, "Project").some((name) => /computed|stored/i.test(name))).toBe(false);
  });
});

describe("records acted on, checks, and fields named in passing", () => {
  it("keeps a record the brief acts on: 'Defects are triaged by the supervisor'", () => {
    const ir = compile("Vans (plate, make). Defects are triaged by the workshop supervisor.");
    expect(names(ir)).toContain("Defect");
    expect(actionsOf(ir)).toContain("Defect.triage");
  });

  it("reads 'drivers do a daily vehicle check' as a record the driver authors", () => {
    const ir = compile("Drivers (name, phone) do a daily vehicle check before each shift.");
    expect(names(ir)).toContain("VehicleCheck");
    expect(names(ir)).not.toContain("Vehicle");
    expect(links(ir)).toContain("Driver one-to-many VehicleCheck");
  });

  it("keeps shops a record when the brief counts them", () => {
    const ir = compile(
      "We run a small chain of bike repair shops. Each part has a sku and a unit cost, and we track stock per shop.",
    );
    expect(names(ir)).toContain("Shop");
    expect(names(ir)).not.toContain("Product");
  });

  it("reads 'mechanics get assigned jobs' as jobs assigned to mechanics, and a text as no record", () => {
    const ir = compile(
      "Mechanics (name) get assigned jobs (description). When the job is done the customer gets a text.",
    );
    expect(links(ir)).toContain("Mechanic one-to-many Job");
    expect(actionsOf(ir)).toContain("Job.assign");
    expect(names(ir)).not.toContain("Text");
  });

  it("names a field after what happened on its date, without the relative clause", () => {
    const ir = compile(
      "Work orders (case number, the date we received it, due date). Translators (name, the language pairs they work in).",
    );
    expect(field(ir, "WorkOrder", "receivedDate")?.type).toBe("date");
    expect(fieldsOf(ir, "Translator")).toContain("languagePairs");
  });

  it("keeps 'one or more target languages' one field and a remark out of the name", () => {
    const ir = compile(
      "Projects (source language, one or more target languages, word count). Agreements (start date, commission rate as a percentage (usually 40-50%)).",
    );
    expect(fieldsOf(ir, "Project")).toEqual(["sourceLanguage", "targetLanguages", "wordCount"]);
    expect(field(ir, "Agreement", "commissionRate")?.format).toBe("percent");
  });

  it("reads '(venue has a capacity)' as the venue's capacity, and kW as one word", () => {
    const ir = compile(
      "Organizers create events at venues (venue has a capacity). Proposals (system size in kW, panel count).",
    );
    expect(fieldsOf(ir, "Venue")).toContain("capacity");
    expect(field(ir, "Proposal", "systemSizeInKw")?.type).toBe("decimal");
  });
});

describe("collections, counts, instructions and people's own people", () => {
  it("reads 'our exercise library' and 'a library of board games' as no books", () => {
    const physio = compile(
      "Physios prescribe exercises from our exercise library (name, description, video link). Patients (name) book sessions with one of our 4 physios.",
    );
    expect(names(physio)).not.toContain("Book");
    expect(names(physio)).not.toContain("Library");
    expect(links(physio)).toContain("Physio one-to-many Session");
    const cafe = compile(
      "Library of board games for our cafe. Games have a title, publisher, min players and max players.",
    );
    expect(names(cafe)).not.toContain("Book");
    expect(names(cafe)).not.toContain("Player");
    expect(field(cafe, "Game", "minPlayers")?.type).toBe("integer");
  });

  it("reads 'treatment notes' as a record of their own", () => {
    const ir = compile("Physios (name) write treatment notes (body, signed at).");
    expect(names(ir)).toContain("TreatmentNote");
  });

  it("reads 'an owner (an employee)' as a link to the employee", () => {
    const ir = compile(
      "Employees (name, email). Each licence has a product name, seat count, cost per seat and an owner (an employee).",
    );
    expect(links(ir)).toContain("Employee one-to-many Licence");
    expect(fieldsOf(ir, "Licence")).not.toContain("owner");
    expect(field(ir, "Licence", "costPerSeat")?.format).toBe("money");
  });

  it("reads a sentence that opens with a verb as an instruction, not a record", () => {
    const ir = compile("Licences (product name, renewal date). Alert the owner 30 days before renewal.");
    expect(names(ir)).not.toContain("Alert");
  });

  it("reads 'hosts seat guests' as a verb, and word values as an enum whatever the name", () => {
    const ir = compile(
      "Restaurants have tables (number, seats, area: indoor/terrace/bar). Hosts seat guests (name, phone).",
    );
    expect(names(ir)).toContain("Guest");
    expect(names(ir)).not.toContain("SeatGuest");
    expect(field(ir, "Table", "area")?.enumValues).toEqual(["indoor", "terrace", "bar"]);
  });

  it("reads 'clubs are run by volunteer leaders' and 'a child can be in several clubs'", () => {
    const ir = compile(
      "Clubs (name, capacity) are run by volunteer leaders (name). Parents (name) enrol their children (name) in clubs; a child can be in several clubs.",
    );
    expect(links(ir)).toEqual(expect.arrayContaining(["Leader one-to-many Club", "Child many-to-many Club"]));
  });

  it("links parents to their children, counts a ratio as no link and prices per head", () => {
    const ir = compile(
      "Teachers create trips (destination, cost per student, max places). A trip needs at least one teacher per 10 students. Parents give consent for their child (name).",
    );
    expect(links(ir)).toContain("Parent one-to-many Child");
    expect(links(ir).some((link) => link.startsWith("Trip") && link.endsWith("Student"))).toBe(false);
    expect(field(ir, "Trip", "costPerStudent")?.format).toBe("money");
    expect(field(ir, "Trip", "maxPlaces")?.type).toBe("integer");
  });

  it("reads the purpose after 'to' as no link", () => {
    const ir = compile(
      "Games (title). Tables (number). Customers (name) can borrow a game to play at a table.",
    );
    expect(links(ir)).not.toContain("Table one-to-many Game");
  });
});

describe("parts of a thing, cadences, limits and bare heads", () => {
  it("reads the parts of a singular thing as fields named after it", () => {
    const ir = compile(
      "Carriers have a name and valid insurance on file (policy number, expiry). Members (name, emergency contact (name, phone)).",
    );
    expect(fieldsOf(ir, "Carrier")).toEqual(
      expect.arrayContaining(["insurancePolicyNumber", "insuranceExpiry"]),
    );
    expect(field(ir, "Carrier", "insuranceExpiry")?.type).toBe("date");
    expect(fieldsOf(ir, "Member")).toEqual(
      expect.arrayContaining(["emergencyContactName", "emergencyContactPhone"]),
    );
  });

  it("gives a role the subject before its verb, not the object before 'and can'", () => {
    const ir = compile(
      "Products (sku, name). Managers approve stock adjustments and can see a stock valuation report.",
    );
    expect(roleNames(ir)).not.toContain("adjustment");
  });

  it("reads '(monthly, annual)' as the plan's interval and 'a max of 20 people' as a limit", () => {
    const ir = compile(
      "Members (name) buy a membership plan (monthly, annual). Trainers (name) run classes; each class has a max of 20 people.",
    );
    expect(field(ir, "MembershipPlan", "interval")?.enumValues).toEqual(["monthly", "annual"]);
    const max = field(ir, "Class", "maxPeople");
    expect(max?.type).toBe("integer");
    expect(max?.default).toBe(20);
  });

  it("links the author who publishes, and reads goods as no record", () => {
    const ir = compile(
      "Courses (title). Instructors (name) publish courses. Goods are received against purchase orders (number) from suppliers (name).",
    );
    expect(links(ir)).toContain("Instructor one-to-many Course");
    expect(names(ir)).not.toContain("Good");
  });

  it("reads a bare 'requests' as the maintenance requests named before, and no link to who assigns", () => {
    const ir = compile(
      "Tenants submit maintenance requests (category, description). Contractors (name) shall be assigned to requests by the landlord.",
    );
    expect(links(ir).some((link) => link.includes("Contractor") && link.includes("MaintenanceRequest"))).toBe(
      true,
    );
    expect(links(ir).some((link) => link.startsWith("Landlord") && link.endsWith("Contractor"))).toBe(false);
  });
});

describe("scores, trailing clauses of a list, and numbers on places", () => {
  it("reads 'each judge scores each cake 1-10 on taste and texture' as a score record", () => {
    const ir = compile(
      "Bake-off app. Judges: name, email. Cakes: title, baker name. Scores: each judge scores each cake 1–10 on taste, texture and looks, plus a comment.",
    );
    expect(links(ir)).toEqual(expect.arrayContaining(["Judge one-to-many Score", "Cake one-to-many Score"]));
    expect(fieldsOf(ir, "Score")).toEqual(expect.arrayContaining(["taste", "texture", "looks", "comment"]));
    expect(field(ir, "Score", "taste")?.type).toBe("integer");
    const judge = ir.auth.roles.find((r) => r.name === "judge");
    expect(judge?.grants.find((g) => g.entity === "Score")?.permissions).toContain("create");
  });

  it("reads 'reviewers rate each pitch from 1 to 5 and leave a comment' without a label", () => {
    const ir = compile(
      "Founders submit pitches (title, deck URL). Reviewers rate each pitch from 1 to 5 and leave a comment.",
    );
    expect(links(ir)).toContain("Pitch one-to-many Rating");
    expect(fieldsOf(ir, "Rating")).toEqual(expect.arrayContaining(["value", "comment"]));
    expect(names(ir)).not.toContain("Comment");
  });

  it("keeps 'managers review claims' a step of the workflow, not a record", () => {
    const ir = compile("Employees submit expense claims (amount, receipt URL). Managers review claims.");
    expect(names(ir)).not.toContain("Review");
  });

  it("ends a labelled list where 'each belongs to one crew' begins", () => {
    const ir = compile("Crews: name, base. Firefighters: name, rank, each belongs to one crew.");
    expect(links(ir)).toContain("Crew one-to-many Firefighter");
    expect(fieldsOf(ir, "Firefighter")).toEqual(expect.arrayContaining(["name", "rank"]));
  });

  it("reads a number on a table or a shirt as a count from one, and 'date out' as a date", () => {
    const ir = compile(
      "Tables: table number, seats. Loans (date out, date returned) are made by members (name).",
    );
    expect(field(ir, "Table", "tableNumber")?.type).toBe("integer");
    expect(field(ir, "Loan", "dateOut")?.type).toBe("date");
    expect(field(ir, "Loan", "dateReturned")?.type).toBe("date");
  });

  it("reads 'lock scoring and publish the results' as actions on the scores", () => {
    const ir = compile(
      "Judges (name) score each dish 1-5 on flavour. Dishes: name, chef. Organisers can lock scoring and publish the results.",
    );
    const actions = actionsOf(ir);
    expect(actions).toEqual(expect.arrayContaining(["Score.lock", "Score.publish"]));
  });
});

describe("ranks, occasions, bookings and lists that end in a verb", () => {
  it("ends a field list at 'and pay a yearly fee', and links a loan to 'the tool' it records", () => {
    const ir = compile(
      "Each tool has a name and a condition (good, worn). Members sign up with their name, email and address and pay a yearly fee. Each loan records the tool, the member and the date out.",
    );
    expect(fieldsOf(ir, "Member").slice(0, 3)).toEqual(["name", "email", "address"]);
    expect(fieldsOf(ir, "Member").some((f) => /pay/i.test(f))).toBe(false);
    expect(links(ir)).toEqual(expect.arrayContaining(["Tool one-to-many Loan", "Member one-to-many Loan"]));
  });

  it("keeps a rank in a role's name, apart from the role below it", () => {
    const ir = compile(
      "Recipes (name, style). Batches (batch number, brew date). The head brewer approves recipes; brewers log gravity readings (value, taken at) against a batch. The program chair can publish recipes.",
    );
    expect(Object.keys(grantsByEntity(ir, "head-brewer"))).toContain("Recipe");
    expect(Object.keys(grantsByEntity(ir, "brewer"))).not.toContain("Recipe");
    expect(roleNames(ir)).toContain("program-chair");
    expect(field(ir, "Reading", "value")?.type).toBe("decimal");
  });

  it("reads 'batches go through fermenting, conditioning, packaged' as the batch's statuses", () => {
    const ir = compile(
      "Batches (batch number, original gravity) go through fermenting, conditioning, packaged.",
    );
    const status = ir.entities.find((e) => e.name === "Batch")?.fields.find((f) => f.name === "status");
    expect(status?.enumValues).toEqual(["fermenting", "conditioning", "packaged"]);
    expect(field(ir, "Batch", "originalGravity")?.type).toBe("decimal");
  });

  it("reads 'the student leaves a review' as a verb, and links the review to the lesson it follows", () => {
    const ir = compile(
      "Students book lessons with a tutor. After a lesson the student leaves a review (rating 1-5, text). After each visit, the vet writes a note. Owners book visits.",
    );
    expect(names(ir)).not.toContain("Leaf");
    expect(links(ir)).toEqual(
      expect.arrayContaining([
        "Student one-to-many Review",
        "Lesson one-to-many Review",
        "Visit one-to-many Note",
      ]),
    );
  });

  it("gives a booked record a time, and who logs a record create on it alone", () => {
    const ir = compile(
      "Tutoring marketplace. Students book lessons with a tutor. Tutors (name, hourly rate). Students log workouts (minutes) with a tutor.",
    );
    expect(fieldsOf(ir, "Lesson")).toContain("scheduledAt");
    expect(grantsByEntity(ir, "student")).toEqual({ Lesson: ["create"], Workout: ["create"] });
  });
});

describe("values in passing, records kept on records, and 'each with'", () => {
  it("reads 'belong to a section (soprano, alto)' as the singer's section, not a Section record", () => {
    const ir = compile(
      "Singers (name, email) belong to a section (soprano, alto, tenor, bass). The director plans services (date, theme).",
    );
    expect(field(ir, "Singer", "section")?.enumValues).toEqual(["soprano", "alto", "tenor", "bass"]);
    expect(names(ir)).not.toContain("Section");
    expect(names(ir)).not.toContain("Plan");
  });

  it("reads a time window of bare words as a field of what is booked", () => {
    const ir = compile("Owners (name) book walks for a time window (morning, midday, afternoon).");
    expect(field(ir, "Walk", "timeWindow")?.enumValues).toEqual(["morning", "midday", "afternoon"]);
    expect(names(ir)).not.toContain("TimeWindow");
  });

  it("never takes a modal for a role: 'walkers should only see their own walks'", () => {
    const ir = compile("Walkers (name) walk dogs (name). Walkers should only see their own walks.");
    expect(roleNames(ir)).not.toContain("should");
  });

  it("reads 'a difficulty from 1 to 5' as an integer difficulty, and '(start, end)' as moments, not actions", () => {
    const ir = compile(
      "A piece has a title and a difficulty from 1 to 5. Drivers book trips (start, end, destination).",
    );
    expect(field(ir, "Piece", "difficulty")?.type).toBe("integer");
    expect(field(ir, "Trip", "startsAt")?.type).toBe("datetime");
    expect(ir.operations.some((o) => o.kind === "action" && /^(?:start|end)$/.test(o.verb))).toBe(false);
  });

  it("gives the record what a person records on it, or about it after 'and records'", () => {
    const ir = compile(
      "Mechanics shall record the parts used and the labour hours on a repair. A game master runs each game and records the finish time and how many hints were used.",
    );
    expect(fieldsOf(ir, "Repair")).toEqual(expect.arrayContaining(["partsUsed", "labourHours"]));
    expect(fieldsOf(ir, "Game")).toEqual(expect.arrayContaining(["finishedAt", "hintsUsed"]));
    expect(field(ir, "Game", "hintsUsed")?.type).toBe("integer");
    expect(fieldsOf(ir, "Mechanic")).not.toContain("partsUsed");
  });

  it("reads 'We have 4 rooms, each with a name and max players' as the rooms' fields", () => {
    const ir = compile(
      "Escape room bookings. We have 4 rooms, each with a name, difficulty and max players.",
    );
    expect(fieldsOf(ir, "Room")).toEqual(expect.arrayContaining(["name", "difficulty", "maxPlayers"]));
  });
});

describe("question words, lists of records and a list after ', with'", () => {
  it("reads 'the farmer decides what goes in the boxes' as a verb, not a Decide record", () => {
    const ir = compile(
      "Customers (name) subscribe to weekly boxes (size, price). Each week the farmer decides what goes in the boxes.",
    );
    expect(names(ir)).not.toContain("Decide");
  });

  it("reads 'a list of stops in order' as the round's stops", () => {
    const ir = compile(
      "Deliveries are grouped into rounds; each round has a driver name and a list of stops in order.",
    );
    expect(links(ir)).toContain("Round one-to-many Stop");
    expect(names(ir)).not.toContain("Order");
  });

  it("gives the list after ', with' to what was reported, not to the record after 'against'", () => {
    const ir = compile(
      "Drivers report defects against a vehicle, with a severity (minor, major, critical) and a description. Vehicles have a registration and a make.",
    );
    expect(fieldsOf(ir, "Defect")).toEqual(expect.arrayContaining(["severity", "description"]));
    expect(fieldsOf(ir, "Vehicle")).not.toContain("severity");
  });
});

describe("bookings of things that stay", () => {
  it("makes a booking when a group books a room for a time slot", () => {
    const ir = compile(
      "Escape rooms (name, difficulty). Groups (name, size) book a room for a time slot and pay a deposit.",
    );
    expect(names(ir)).toContain("Booking");
    expect(links(ir)).toEqual(
      expect.arrayContaining([
        "Group one-to-many Booking",
        "Room one-to-many Booking",
        "TimeSlot one-to-many Booking",
      ]),
    );
    expect(links(ir)).not.toContain("Group one-to-many Room");
  });

  it("keeps a booked event the record itself, and a named booking the brief's own", () => {
    const lessons = compile("Students (name) book lessons (topic) with a tutor.");
    expect(names(lessons)).not.toContain("Booking");
    const named = compile("Members book desks (label). A reservation has a start and an end.");
    expect(names(named)).not.toContain("Booking");
  });
});

describe("actions: function words and clause ends", () => {
  it("never reads a modal, an adverb or an article as an action", () => {
    const ir = compile(
      "Volunteers (name) sign up for shifts (date, location) and can drop a shift. Managers either approve the shift or cancel it, then the shift is staffed.",
    );
    const verbs = verbsOf(ir);
    expect(verbs).not.toEqual(expect.arrayContaining(["can"]));
    expect(verbs).not.toContain("either");
    expect(verbs).not.toContain("the");
    expect(actionsOf(ir)).toContain("Shift.drop");
  });

  it("reads the brief's own verb before 'or' with the verb after it", () => {
    const ir = compile(
      "Residents submit applications (address, reason). Clerks check the documents, then approve or bounce the application.",
    );
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Application.approve", "Application.bounce"]));
  });

  it("carries a passive chain past a time phrase to its agent", () => {
    const ir = compile(
      "Permits (number, plate) are issued to residents. Permits can be renewed every year and revoked by a supervisor.",
    );
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Permit.renew", "Permit.revoke"]));
    expect(roleNames(ir)).toContain("supervisor");
  });

  it("gives a verb that ends its clause the record named before it", () => {
    const ir = compile(
      "Employees submit purchase requests (item, amount, vendor). The team lead approves; finance can reject a request.",
    );
    expect(actionsOf(ir)).toContain("PurchaseRequest.approve");
    expect(grantsByEntity(ir, "team-lead")).toEqual({ PurchaseRequest: ["act", "read"] });
  });

  it("reads a department as a role and its verb in -s as a verb", () => {
    const ir = compile(
      "Employees submit purchase requests (item, amount). Procurement converts approved requests into purchase orders (number, total).",
    );
    expect(names(ir)).not.toContain("Convert");
    expect(actionsOf(ir)).toContain("PurchaseRequest.convert");
    expect(grantsByEntity(ir, "procurement")).toEqual({ PurchaseRequest: ["act", "read"] });
  });

  it("grants a verb with no object on the record it makes", () => {
    const ir = compile(
      "Recruiters post job openings (title, location). Candidates apply with a CV. Applications have a status and a cover letter.",
    );
    expect(grantsByEntity(ir, "candidate")).toEqual({ Application: ["create"] });
  });

  it("reads '-ment' nouns as things, not people", () => {
    const ir = compile(
      "Stock movements record every in/out of an item with quantity and reason. Clerks can only read.",
    );
    expect(roleNames(ir)).not.toContain("movement");
    expect(fieldsOf(ir, "StockMovement")).toEqual(expect.arrayContaining(["quantity", "reason"]));
  });
});

describe("fields: values after a colon inside a field list", () => {
  it("reads 'finish: matte or gloss' in a list as one enum field, and keeps the list", () => {
    const ir = compile("Customers place print orders (quantity, paper type, size, finish: matte or gloss).");
    expect(fieldsOf(ir, "Order")).toEqual(
      expect.arrayContaining(["quantity", "paperType", "size", "finish"]),
    );
    expect(field(ir, "Order", "finish")?.enumValues).toEqual(["matte", "gloss"]);
  });

  it("keeps a type with no values a plain string, not a made-up list", () => {
    const ir = compile("Rooms have a name, a room type and a capacity.");
    expect(field(ir, "Room", "roomType")?.type).toBe("string");
  });
});

describe("a library of things", () => {
  const brief =
    "Library of things for our neighbourhood. Members reserve items and staff check them out and check them back in. Overdue loans get flagged after 7 days. Staff can suspend a member who has three overdue loans and reinstate them later. Members can renew a loan once.";

  it("reads 'a member who has three overdue loans' as the member's loans", () => {
    expect(links(compile(brief))).toContain("Member one-to-many Loan");
  });

  it("gives a pronoun in a chain of verbs the chain's object, and ends a noun at 'once'", () => {
    const ir = compile(brief);
    const actions = actionsOf(ir);
    expect(actions).toEqual(expect.arrayContaining(["Member.suspend", "Member.reinstate", "Loan.renew"]));
    expect(actions.some((a) => /staff/i.test(a))).toBe(false);
    expect(names(ir)).not.toContain("LoanOnce");
  });

  it("gives a lending library's loan a due date, and a lender's loan its interest", () => {
    expect(fieldsOf(compile(brief), "Loan")).toEqual(
      expect.arrayContaining(["borrowedOn", "dueOn", "returnedOn"]),
    );
    const bank = compile(
      "P2P lending: borrowers request loans, investors fund them, loans are repaid monthly.",
    );
    expect(fieldsOf(bank, "Loan")).toContain("interestRate");
  });
});

describe("who the planner is for, and marks with hyphens", () => {
  it("reads 'a planner for a food bank' as whom the software serves, not a Bank record", () => {
    const ir = compile(
      "Volunteer shift planner for a food bank. Coordinators create shifts (date, location, slots). Volunteers sign up for shifts.",
    );
    expect(names(ir)).not.toContain("Bank");
    expect(names(ir)).not.toContain("FoodBank");
  });

  it("reads 'mark volunteers as no-show' as an action on the volunteer", () => {
    const ir = compile(
      "Volunteers (name, email) sign up for shifts (date). Coordinators can mark volunteers as no-show.",
    );
    const actions = actionsOf(ir);
    expect(actions).toContain("Volunteer.mark-no-show");
  });
});

describe("counted children, pronoun subjects and kinds in parentheses", () => {
  it("reads 'has one or more units' as the property's units, not the unit's property", () => {
    const ir = compile("Landlords own properties; each property has one or more units (unit number, rent).");
    expect(links(ir)).toContain("Property one-to-many Unit");
    expect(links(ir)).not.toContain("Unit one-to-many Property");
  });

  it("reads 'a report with several expenses' as has-many", () => {
    const ir = compile("An employee submits a report with several expenses (date, amount).");
    expect(links(ir)).toContain("Report one-to-many Expense");
  });

  it("gives 'they have …' to the people the sentence is about", () => {
    const ir = compile(
      "Companies have a name and an industry. Contacts work at a company; they have a name, job title, email and phone.",
    );
    expect(fieldsOf(ir, "Contact")).toEqual(expect.arrayContaining(["name", "jobTitle", "email", "phone"]));
    expect(fieldsOf(ir, "Company")).not.toContain("jobTitle");
  });

  it("keeps to the records of a detailed CRM brief instead of adding the usual ones", () => {
    const ir = compile(
      "Build a simple CRM for a B2B agency. Companies: name, industry. Contacts: name, email. Deals: value, stage.",
    );
    expect(names(ir)).not.toContain("Organization");
    expect(names(ir)).not.toContain("Agency");
  });

  it("reads kinds in parentheses as the record's type values", () => {
    const ir = compile(
      "Students are enrolled in a course (piano, guitar, violin, drums). Attendees buy tickets (early bird, regular, VIP). Trainers run group classes (yoga, spin, HIIT) with a capacity. Activities (call, email, meeting) are logged against a contact.",
    );
    expect(field(ir, "Course", "type")?.enumValues).toEqual(["piano", "guitar", "violin", "drums"]);
    expect(field(ir, "Ticket", "type")?.enumValues).toEqual(["early_bird", "regular", "vip"]);
    expect(field(ir, "Class", "type")?.enumValues).toEqual(["yoga", "spin", "hiit"]);
    expect(field(ir, "Activity", "type")?.enumValues).toEqual(["call", "email", "meeting"]);
    expect(fieldsOf(ir, "Course")).not.toContain("piano");
  });
});

describe("a conference and a CRM, read closely", () => {
  it("keeps 'submit talk proposals' an authored record, acted on by a two-word role after 'which the'", () => {
    const ir = compile(
      "Speakers (name, bio) submit talk proposals which the program committee accepts or rejects.",
    );
    expect(links(ir)).toContain("Speaker one-to-many Proposal");
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["Proposal.accept", "Proposal.reject"]));
    expect(ir.operations.find((o) => o.verb === "accept")?.roles).toContain("program-committee");
  });

  it("reads nothing a user does in 'after it ends'", () => {
    const ir = compile("Sessions have a title and a room. Attendees can rate a session after it ends.");
    expect(actionsOf(ir)).not.toContain("Session.end");
  });

  it("drops 'at a' before a field, and gives ', with …' after 'a deal or a contact' to the subject", () => {
    const ir = compile(
      "Appointments are booked by owners for a pet with a vet, at a date and time, with a reason. Activities are logged against a deal or a contact, with notes and a date.",
    );
    expect(fieldsOf(ir, "Appointment")).toContain("date");
    expect(fieldsOf(ir, "Appointment")).not.toContain("atDate");
    expect(fieldsOf(ir, "Activity")).toEqual(expect.arrayContaining(["notes", "date"]));
    expect(fieldsOf(ir, "Contact")).not.toContain("notes");
  });

  it("grants reading, not everything, to who 'sees everything', and keeps 'sales rep' whole", () => {
    const ir = compile(
      "Deals have a value and a stage. Sales reps see only their own deals; the sales manager sees everything.",
    );
    expect(grantsByEntity(ir, "sales-manager")).toEqual({ "*": ["read"] });
    expect(roleNames(ir)).toContain("sales-rep");
  });

  it("keeps an admin who 'can see everything' an administrator", () => {
    const ir = compile(
      "Employees submit leave requests (start date, end date). HR admins can see everything.",
    );
    expect(grantsByEntity(ir, "hr-admin")).toEqual({ "*": ["act", "create", "delete", "read", "update"] });
  });
});

describe("lettings, lessons and packs", () => {
  it("gives a let property a name and address, not a sale price, and makes 'a property manager' a role", () => {
    const ir = compile(
      "Landlords own properties; each property has one or more units (unit number, rent). Tenants sign leases for a unit. Tenants raise maintenance requests; a property manager assigns each request to a contractor and closes it when done.",
    );
    expect(fieldsOf(ir, "Property")).toEqual(expect.arrayContaining(["name", "address"]));
    expect(fieldsOf(ir, "Property")).not.toContain("bathrooms");
    expect(names(ir)).not.toContain("Manager");
    expect(grantsByEntity(ir, "property-manager")).toEqual({ MaintenanceRequest: ["act", "read"] });
  });

  it("gives a taught lesson a time and a length, and reads 'weekday' as a field word", () => {
    const ir = compile(
      "Teachers give lessons to students, each lesson is 30 or 60 minutes, on a weekday at a fixed time.",
    );
    expect(fieldsOf(ir, "Lesson")).toEqual(expect.arrayContaining(["scheduledAt", "durationMinutes"]));
    expect(fieldsOf(ir, "Lesson")).not.toContain("content");
    expect(names(ir)).not.toContain("Weekday");
  });

  it("reads 'in packs of 10' and 'the member's pack' as nouns, not a pack action", () => {
    const ir = compile(
      "Members (name) buy training sessions. Sessions are sold in packs of 5 or 10 and each session used is deducted from the member's pack.",
    );
    expect(verbsOf(ir)).not.toContain("pack");
  });
});

describe("requirements written about the system, and returns", () => {
  const brief = [
    "The system shall allow citizens to report noise complaints with a location, date, time and description.",
    "The system shall allow supervisors to reassign complaints between officers.",
    "The system shall let citizens track the status of their complaint by reference number.",
  ].join("\n");

  it("reads 'the system shall allow X to Y' and 'let X Y' as what X can do", () => {
    const ir = compile(brief);
    expect(grantsByEntity(ir, "citizen")).toEqual({ Complaint: ["create", "read"] });
    expect(grantsByEntity(ir, "supervisor")).toEqual({ Complaint: ["act", "read"] });
  });

  it("reads 'opens a return request for one or more order lines' and 'inspects'", () => {
    const ir = compile(
      "A customer opens a return request for one or more order lines. The warehouse receives the parcel, inspects each returned item and marks it as restocked.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Customer one-to-many ReturnRequest", "ReturnRequest one-to-many OrderLine"]),
    );
    expect(names(ir)).not.toContain("Inspect");
  });
});

describe("catalogues, documents about things, and claims", () => {
  it("makes a vague word a record when the brief gives it fields, and only then", () => {
    const ir = compile(
      "Museum catalogue: curators record objects (accession number, title, maker, date made). Curators lend objects to other museums.",
    );
    expect(names(ir)).toContain("Object");
    expect(field(ir, "Object", "dateMade")?.type).toBe("date");
    const api = compile(
      "Developers (name, email) publish packages (name, version). The API returns JSON objects.",
    );
    expect(names(api)).not.toContain("Object");
  });

  it("reads 'every X in the Y has' as X having the list", () => {
    const ir = compile(
      "Every seat in the stadium has a row, a seat number and a price band. Fans buy tickets for seats.",
    );
    expect(fieldsOf(ir, "Seat")).toEqual(expect.arrayContaining(["row", "seatNumber", "priceBand"]));
    expect(fieldsOf(ir, "Stadium")).not.toContain("row");
  });

  it("reads 'condition reports' after a verb as a record, not a verb", () => {
    const ir = compile(
      "Conservators log condition reports for objects (date, condition: excellent, good, fair, poor, notes). Each employee reports to a manager.",
    );
    expect(names(ir)).toContain("ConditionReport");
    expect(field(ir, "ConditionReport", "condition")?.enumValues).toEqual([
      "excellent",
      "good",
      "fair",
      "poor",
    ]);
  });

  it("gives a group after 'against their policy' to the record its items name", () => {
    const ir = compile(
      "Policyholders file claims against their policy (claim date, incident description, amount claimed). Policies have a policy number and a premium.",
    );
    expect(fieldsOf(ir, "Claim")).toEqual(expect.arrayContaining(["claimDate", "amountClaimed"]));
    expect(field(ir, "Claim", "amountClaimed")?.type).toBe("decimal");
    expect(fieldsOf(ir, "Policy")).not.toContain("claimDate");
  });

  it("does not make 'an audit log of changes' a record", () => {
    const ir = compile("Staff edit products (name, price). Keep a full audit log of changes to products.");
    expect(names(ir)).not.toContain("AuditLog");
  });

  it("reads 'either approves a payout or denies it' as verbs of the person who opens the sentence", () => {
    const ir = compile(
      "Policyholders file claims (amount, description). An adjuster is assigned to each claim, inspects it and either approves a payout or denies it with a reason.",
    );
    expect(names(ir)).not.toContain("Deny");
    expect(grantsByEntity(ir, "adjuster")).toEqual({ Claim: ["act", "read"], Payout: ["act", "read"] });
  });

  it("shares a plural suffix: 'start and end dates'", () => {
    const ir = compile("A loan has a borrower, start and end dates and an insurance value.");
    expect(fieldsOf(ir, "Loan")).toEqual(expect.arrayContaining(["startDate", "endDate"]));
    expect(field(ir, "Loan", "startDate")?.type).toBe("date");
  });
});

describe("a law firm: times before the subject, and a role with no verb of its own", () => {
  const brief = [
    "Clients have many matters (title, opened date). Lawyers log time entries against a matter (date, hours).",
    "At month end the billing clerk generates an invoice per matter from unbilled time entries.",
    "Partners see all matters; associates only those they work on.",
  ].join(" ");

  it("reads 'at month end' as a time, not an end action, and gives the clerk who generates invoices create", () => {
    const ir = compile(brief);
    expect(verbsOf(ir)).not.toContain("end");
    expect(grantsByEntity(ir, "billing-clerk")).toEqual({ Invoice: ["create"] });
  });

  it("reads 'see all matters' as reading matters, not everything, and lends that verb to 'associates only those'", () => {
    const ir = compile(brief);
    expect(grantsByEntity(ir, "partner")).toEqual({ Matter: ["read"] });
    expect(grantsByEntity(ir, "associate")).toEqual({ Matter: ["read"] });
  });
});

describe("a hackathon and user stories", () => {
  it("reads 'members (up to 5 participants, each with name and email)' as the members' name and email", () => {
    const ir = compile(
      "Teams register with a team name and members (up to 5 participants, each with name and email).",
    );
    expect(fieldsOf(ir, "Member")).toEqual(expect.arrayContaining(["name", "email"]));
    expect(fieldsOf(ir, "Member").some((f) => /participant|with/i.test(f))).toBe(false);
  });

  it("reads 'once scoring closes' as what happens, not a close action", () => {
    const ir = compile(
      "Teams submit projects (title, repo URL). Judges score projects (1-10). Organizers publish the winners once scoring closes.",
    );
    expect(verbsOf(ir)).not.toContain("close");
  });

  it("gives a role who books a record create, and writes 'An admin' for a user story", () => {
    const ir = compile(
      "As a dog owner I want to book a walk for my dog. As an admin I want to approve walkers. Walks have a date and a duration.",
    );
    expect(grantsByEntity(ir, "dog-owner")).toEqual({ Walk: ["create"] });
    expect(ir.auth.roles.find((r) => r.name === "admin")?.evidence[0]).toMatch(
      /^An admin can approve walkers/,
    );
  });
});

describe("a journal and a car pool: who does which action", () => {
  const journal =
    "Authors submit manuscripts (title, abstract, keywords). An editor assigns two or three reviewers to each manuscript. Reviewers submit a review with a recommendation (accept, minor revision, major revision, reject). The editor makes the final decision. Authors can withdraw a manuscript before a decision.";

  it("never makes a number word an action, and grants an assigner the record assigned to", () => {
    const ir = compile(journal);
    expect(verbsOf(ir)).not.toContain("three");
    expect(grantsByEntity(ir, "editor")).toEqual({ Manuscript: ["act", "read"] });
  });

  it("lets each role do the actions its own sentences name, not every action on the record", () => {
    const ir = compile(journal);
    const rolesOf = (verb: string) => ir.operations.find((o) => o.id === `${verb}Manuscript`)?.roles;
    expect(rolesOf("assign")).toEqual(["editor"]);
    expect(rolesOf("withdraw")).toEqual(["author"]);
  });

  it("reads 'on return' as a noun and 'fuel level' as a field, not actions", () => {
    const ir = compile(
      "Employees book pool cars (plate number, model). On return the employee enters the odometer reading and fuel level.",
    );
    expect(verbsOf(ir)).not.toContain("return");
    expect(verbsOf(ir).some((verb) => verb.startsWith("fuel"))).toBe(false);
  });
});

describe("a grooming salon and an allotment society", () => {
  it("reads 'book grooming appointments' with its verb, and names the app for whom it is built", () => {
    const ir = compile(
      "Build me an API for a dog grooming salon. Customers book grooming appointments for their dogs. An appointment has a date and a price.",
    );
    expect(names(ir)).not.toContain("Book");
    expect(grantsByEntity(ir, "customer")).toEqual({ Appointment: ["create"] });
    expect(ir.app.name).toBe("Dog Grooming Salon");
  });

  it("grants create on the loan or order a taking verb makes, and read on what is taken", () => {
    const ir = compile(
      "Members borrow books (title, author). Each loan has a due date. Customers order products (name, price); orders have a total. Members rent one plot at a time.",
    );
    expect(grantsByEntity(ir, "member")).toEqual({ Loan: ["create", "read"], Book: ["read"] });
    expect(grantsByEntity(ir, "customer")).toEqual({ Order: ["create", "read"], Product: ["read"] });
  });

  it("reads a second person after 'and' as a role sentence of its own", () => {
    const ir = compile(
      "Members pay their rent once a year and the treasurer records each payment (amount, date, method: cash, bank transfer).",
    );
    expect(grantsByEntity(ir, "treasurer")).toEqual({ Payment: ["create"] });
  });

  it("reads 'rates each plot (good, needs work, neglected)' as the plot's rating", () => {
    const ir = compile(
      "Plots have a number and a rent. An inspector rates each plot (good, needs work, neglected).",
    );
    expect(field(ir, "Plot", "rating")?.enumValues).toEqual(["good", "needs_work", "neglected"]);
    expect(fieldsOf(ir, "Plot")).not.toContain("good");
  });

  it("reads 'a waiting list holds people who want one (name, email, date joined)' as the list's fields", () => {
    const ir = compile(
      "Members rent plots (number, size). A waiting list holds people who want one (name, email, date joined).",
    );
    expect(fieldsOf(ir, "WaitingList")).toEqual(expect.arrayContaining(["name", "email", "dateJoined"]));
    expect(names(ir)).not.toContain("Waiting");
  });
});

describe("registrars and class passes", () => {
  it("reads registrars as a role", () => {
    const ir = compile(
      "Objects are lent to other museums; a loan has a start date. Registrars approve outgoing loans.",
    );
    expect(grantsByEntity(ir, "registrar")).toEqual({ Loan: ["act", "read"] });
  });

  it("reads '(5 or 10 classes, valid 3 months)' as a size and a validity, not two odd fields", () => {
    const ir = compile(
      "Students buy class passes (5 or 10 classes, valid 3 months) and check in to classes.",
    );
    expect(field(ir, "ClassPass", "validityMonths")).toMatchObject({ type: "integer", default: 3 });
    expect(fieldsOf(ir, "ClassPass").some((f) => /^x\d|valid3/.test(f))).toBe(false);
  });
});

describe("tables in the writer's words and reserved things", () => {
  const PROPERTIES = [
    "Property management platform.",
    "",
    "| Thing | What we keep |",
    "|---|---|",
    "| Property | address, number of units, purchase date |",
    "| Unit | unit number, bedrooms, monthly rent |",
    "| Lease | start date, end date, deposit |",
    "",
    "A lease links a tenant to a unit. Landlords own properties.",
  ].join("\n");

  it("reads a table of a record and its list as the record's fields, whatever the headers say", () => {
    const ir = compile(PROPERTIES);
    expect(fieldsOf(ir, "Unit")).toEqual(expect.arrayContaining(["unitNumber", "bedrooms", "monthlyRent"]));
    expect(fieldsOf(ir, "Lease")).toEqual(expect.arrayContaining(["startDate", "endDate", "deposit"]));
    expect(field(ir, "Property", "numberOfUnits")?.type).toBe("integer");
  });

  it("does not read a table of roles and their duties as records", () => {
    const ir = compile(
      "Expense app.\n\n| Who | Does |\n|---|---|\n| Approver | approve claims, reject claims |\n\nEmployees submit claims (amount, date).",
    );
    expect(names(ir)).not.toContain("Approver");
  });

  it("reads 'a lease links a tenant to a unit' as a lease belonging to both", () => {
    const ir = compile(PROPERTIES);
    expect(links(ir)).toEqual(expect.arrayContaining(["Tenant one-to-many Lease", "Unit one-to-many Lease"]));
  });

  it("reads 'diners reserve a table' as making the reservation the brief names, not a table's state", () => {
    const ir = compile(
      "Restaurant reservations app: diners reserve a table for a time slot and party size. Tables have a number and seats.",
    );
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Diner one-to-many Reservation", "Table one-to-many Reservation"]),
    );
    expect(field(ir, "Reservation", "partySize")?.type).toBe("integer");
    expect(actionsOf(ir)).not.toContain("Table.reserve");
    expect(grantsByEntity(ir, "diner")).toEqual({ Reservation: ["create", "read"], Table: ["read"] });
  });
});

describe("the app's name from the first line", () => {
  it("reads a title line alone above the brief", () => {
    expect(
      nameOf("Volunteer coordination for a food bank\n\nVolunteers sign up for shifts (date, start time)."),
    ).toBe("Volunteer Coordination");
  });

  it("reads the name of an activity before a colon", () => {
    expect(nameOf("School timetabling: teachers teach lessons (subject, period) in rooms (name).")).toBe(
      "School Timetabling",
    );
  });

  it("skips a greeting and a label before the name", () => {
    expect(
      nameOf(
        "Hi team — quick brief for the greenhouse sensors project. Sensors send readings (value, unit).",
      ),
    ).toBe("Greenhouse Sensors");
    expect(nameOf("Feature: Event ticketing\n\n  Organisers create events (venue, date).")).toBe(
      "Event Ticketing",
    );
    expect(
      nameOf(
        "Requirements Specification: Matter Management Service\n\nLawyers open matters (title, client).",
      ),
    ).toBe("Matter Management Service");
  });

  it("keeps a word that says what the software is beside whom it is for", () => {
    expect(nameOf("Helpdesk for our internal IT.\n- Employees open tickets (subject, priority)")).toBe(
      "Internal IT Helpdesk",
    );
  });

  it("keeps a title in another script, without its pictures, and spells the slug from the records", () => {
    const ir = compile("在庫管理API 📦\n\nproducts (name, sku) and warehouses (name, address).");
    expect(ir.app.name).toBe("在庫管理API");
    expect(ir.app.slug).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(ir.app.slug).toContain("product");
  });
});

describe("work that people log, and each verb with its own object", () => {
  it("skips a greeting and a sentence about the brief itself", () => {
    const ir = compile(
      "Hi team — quick brief for the greenhouse sensors project. Sensors (serial number) send readings (value).",
    );
    expect(names(ir)).not.toEqual(expect.arrayContaining(["Team"]));
    expect(names(ir)).not.toContain("Project");
  });

  it("reads what people log as a record, with the fields of work done", () => {
    const ir = compile(
      "Sensors (serial number) send readings (value). Technicians replace sensors and log the battery swaps.",
    );
    expect(fieldsOf(ir, "BatterySwap")).toEqual(expect.arrayContaining(["performedAt"]));
  });

  it("gives each verb of a person its own object: 'replace sensors and log the battery swaps'", () => {
    const ir = compile(
      "Sensors (serial number) send readings (value). Technicians replace sensors and log the battery swaps.",
    );
    expect(grantsByEntity(ir, "technician")).toEqual({ Sensor: ["update"], BatterySwap: ["create"] });
  });

  it("reads 'a history of stage changes per order' as a record of its own", () => {
    const ir = compile(
      "Orders (number, customer) go through stages (received, milling, shipped), and we keep a history of stage changes per order.",
    );
    expect(names(ir)).toContain("StageChange");
    expect(links(ir)).toContain("Order one-to-many StageChange");
  });

  it("does not make a record of what is published", () => {
    const ir = compile("Judges score projects (title). Organizers can lock scoring and publish the results.");
    expect(names(ir)).not.toContain("Result");
  });
});

describe("devices and what they send", () => {
  const GREENHOUSES =
    "We've got about 200 sensors spread over 12 greenhouses. Every sensor sends a reading every minute: temperature, humidity, soil moisture and a battery level. Growers set thresholds per greenhouse.";

  it("reads a list after 'a reading every minute:' as the reading's fields", () => {
    const ir = compile(GREENHOUSES);
    expect(fieldsOf(ir, "Reading")).toEqual(
      expect.arrayContaining(["temperature", "humidity", "soilMoisture", "batteryLevel"]),
    );
    expect(field(ir, "Reading", "soilMoisture")?.type).toBe("decimal");
  });

  it("does not make 'send' an action when a device sends the records it makes", () => {
    const ir = compile(GREENHOUSES);
    expect(actionsOf(ir)).not.toContain("Reading.send");
    const quotes = compile("The estimator sends the quote (price, valid until); the customer accepts it.");
    expect(actionsOf(quotes)).toContain("Quote.send");
  });

  it("reads 'sensors spread over 12 greenhouses' and 'thresholds per greenhouse' as the greenhouse's", () => {
    const ir = compile(GREENHOUSES);
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Greenhouse one-to-many Sensor", "Greenhouse one-to-many Threshold"]),
    );
  });
});

describe("pronouns, chains and compounds in what people do", () => {
  it("reads 'review applications and approve or decline them' as acting on the applications", () => {
    const ir = compile(
      "Borrowers submit applications (amount, purpose). Loan officers review applications and approve or decline them.",
    );
    expect(grantsByEntity(ir, "loan-officer")).toEqual({ Application: ["act", "read"] });
  });

  it("does not read the head of a record's name as a verb ('repayment schedule', 'bank transfer')", () => {
    const ir = compile(
      "An approved loan gets a repayment schedule of monthly instalments (due date, amount, whether it's been paid). Borrowers make repayments by bank transfer (reference).",
    );
    expect(verbsOf(ir)).not.toEqual(expect.arrayContaining(["schedule"]));
    expect(verbsOf(ir)).not.toContain("transfer");
    expect(field(ir, "Instalment", "paid")?.type).toBe("boolean");
  });

  it("reads 'assign them to technicians' as assigning the work orders, and '…, then marks it complete'", () => {
    const ir = compile(
      "Dispatchers create work orders (description) for customer sites and assign them to technicians. A technician records the hours spent on a work order, then marks it complete.",
    );
    expect(grantsByEntity(ir, "dispatcher")).toEqual({ WorkOrder: ["act", "create", "read"] });
    expect(actionsOf(ir)).toEqual(expect.arrayContaining(["WorkOrder.assign", "WorkOrder.complete"]));
    expect(verbsOf(ir)).not.toContain("marks");
    expect(ir.operations.find((o) => o.verb === "complete")?.roles).toEqual(["technician"]);
  });
});
