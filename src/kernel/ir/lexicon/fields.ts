/**
 * What common field words mean. Keys are lower-case phrases as people write them ("dob",
 * "e-mail address", "qty"); values say the canonical name and type. Suffix rules in
 * `field-spec.ts` cover words that are not listed ("renewal date" → date, "unit price" → money).
 */
import type { FieldFormat, FieldType, Sensitivity } from "../schema.js";

export interface FieldMeaning {
  /** Canonical name as words (camel-cased later), e.g. "date of birth". */
  name: string;
  type: FieldType;
  format?: FieldFormat;
  sensitivity?: Sensitivity[];
  maxLength?: number;
  unique?: boolean;
  searchable?: boolean;
  enumValues?: string[];
  /** Personal data only when the record describes a person ("name" of a patient, not of a product). */
  personal?: boolean;
}

const text = (name: string, extra: Partial<FieldMeaning> = {}): FieldMeaning => ({
  name,
  type: "text",
  ...extra,
});
const str = (name: string, maxLength = 200, extra: Partial<FieldMeaning> = {}): FieldMeaning => ({
  name,
  type: "string",
  maxLength,
  ...extra,
});
const money = (name: string): FieldMeaning => ({ name, type: "decimal", format: "money" });
const int = (name: string): FieldMeaning => ({ name, type: "integer" });
const date = (name: string, extra: Partial<FieldMeaning> = {}): FieldMeaning => ({
  name,
  type: "date",
  ...extra,
});
const datetime = (name: string): FieldMeaning => ({ name, type: "datetime" });
const bool = (name: string): FieldMeaning => ({ name, type: "boolean" });
const dec = (name: string): FieldMeaning => ({ name, type: "decimal" });

const personalName = (name: string): FieldMeaning => str(name, 100, { searchable: true, personal: true });
const email: FieldMeaning = str("email", 254, { format: "email", searchable: true, personal: true });
const phone: FieldMeaning = str("phone", 32, { format: "phone", personal: true });
const address = (name: string): FieldMeaning => text(name, { personal: true });
const dateOfBirth: FieldMeaning = date("date of birth", { sensitivity: ["pii"] });
const cardNumber: FieldMeaning = str("card number", 19, { sensitivity: ["cardholder"] });

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

export const FIELD_WORDS: Readonly<Record<string, FieldMeaning>> = {
  // people
  name: str("name", 200, { searchable: true, personal: true }),
  "full name": personalName("full name"),
  "first name": personalName("first name"),
  "given name": personalName("first name"),
  "last name": personalName("last name"),
  surname: personalName("last name"),
  "family name": personalName("last name"),
  "middle name": personalName("middle name"),
  email,
  "e-mail": email,
  "email address": email,
  "e-mail address": email,
  mail: email,
  phone,
  "phone number": phone,
  telephone: phone,
  "telephone number": phone,
  mobile: phone,
  "mobile number": phone,
  "cell phone": phone,
  address: address("address"),
  "street address": address("address"),
  "home address": address("address"),
  "mailing address": address("address"),
  "postal address": address("address"),
  "shipping address": address("shipping address"),
  "billing address": address("billing address"),
  "delivery address": address("delivery address"),
  dob: dateOfBirth,
  "d.o.b": dateOfBirth,
  "date of birth": dateOfBirth,
  "birth date": dateOfBirth,
  birthdate: dateOfBirth,
  birthday: dateOfBirth,
  age: int("age"),
  gender: str("gender", 32, { personal: true }),
  sex: str("sex", 32, { personal: true }),
  ssn: str("ssn", 11, { sensitivity: ["pii"] }),
  "social security number": str("ssn", 11, { sensitivity: ["pii"] }),
  "national id": str("national id", 32, { sensitivity: ["pii"] }),
  "passport number": str("passport number", 32, { sensitivity: ["pii"] }),
  "tax id": str("tax id", 32, { sensitivity: ["pii"] }),
  "ip address": str("ip address", 45, { sensitivity: ["pii"] }),
  username: str("username", 64, { unique: true, searchable: true }),
  "user name": str("username", 64, { unique: true, searchable: true }),
  password: str("password hash", 255),
  avatar: str("avatar url", 2048, { format: "url" }),
  photo: str("photo url", 2048, { format: "url" }),
  picture: str("picture url", 2048, { format: "url" }),
  image: str("image url", 2048, { format: "url" }),
  "profile picture": str("profile picture url", 2048, { format: "url" }),
  bio: text("bio"),
  "job title": str("job title", 120),
  role: str("role", 64),
  department: str("department", 120),
  nationality: str("nationality", 64, { personal: true }),
  "emergency contact": text("emergency contact", { personal: true }),

  // health (marked PHI by the hipaa overlay's rules, not here)
  diagnosis: text("diagnosis"),
  diagnoses: text("diagnosis"),
  symptoms: text("symptoms"),
  allergies: text("allergies"),
  medications: text("medications"),
  "medical history": text("medical history"),
  "medical record number": str("medical record number", 32, { unique: true, searchable: true }),
  mrn: str("medical record number", 32, { unique: true, searchable: true }),
  "insurance number": str("insurance number", 64),
  "insurance id": str("insurance number", 64),
  "insurance provider": str("insurance provider", 120),
  "blood type": str("blood type", 3),
  dosage: str("dosage", 64),
  dose: str("dosage", 64),
  frequency: str("frequency", 64),
  "npi number": str("npi", 10, { unique: true }),
  npi: str("npi", 10, { unique: true }),
  "license number": str("license number", 32, { unique: true }),
  specialty: str("specialty", 120, { searchable: true }),
  speciality: str("specialty", 120, { searchable: true }),

  // money
  price: money("price"),
  "unit price": money("unit price"),
  cost: money("cost"),
  amount: money("amount"),
  total: money("total"),
  "total amount": money("total"),
  subtotal: money("subtotal"),
  balance: money("balance"),
  fee: money("fee"),
  fees: money("fee"),
  salary: money("salary"),
  wage: money("wage"),
  budget: money("budget"),
  revenue: money("revenue"),
  tax: money("tax"),
  "tax amount": money("tax"),
  discount: money("discount"),
  principal: money("principal"),
  rent: money("rent"),
  deposit: money("deposit"),
  "credit limit": money("credit limit"),
  goal: money("goal"),
  currency: str("currency", 3),
  "currency code": str("currency", 3),
  "interest rate": { name: "interest rate", type: "decimal", format: "percent" },
  "tax rate": { name: "tax rate", type: "decimal", format: "percent" },
  percentage: { name: "percentage", type: "decimal", format: "percent" },
  iban: str("iban", 34, { sensitivity: ["pii"] }),
  "account number": str("account number", 34, { sensitivity: ["pii"] }),
  "routing number": str("routing number", 9),
  "card number": cardNumber,
  "credit card number": cardNumber,
  "credit card": cardNumber,
  "debit card number": cardNumber,
  pan: cardNumber,
  "cardholder name": str("cardholder name", 100, { sensitivity: ["cardholder"], personal: true }),
  // Permits, licences, memberships and medicines expire too: only a card's expiry is card data.
  "card expiry": str("card expiry", 5, { sensitivity: ["cardholder"] }),
  "card expiry date": str("card expiry", 5, { sensitivity: ["cardholder"] }),
  "card expiration": str("card expiry", 5, { sensitivity: ["cardholder"] }),
  "card expiration date": str("card expiry", 5, { sensitivity: ["cardholder"] }),
  "expiry date": date("expiry date"),
  "expiration date": date("expiration date"),
  expiry: date("expiry date"),

  // quantities and measures
  quantity: int("quantity"),
  qty: int("quantity"),
  count: int("count"),
  stock: int("stock"),
  "stock level": int("stock"),
  "stock count": int("stock"),
  capacity: int("capacity"),
  "number of seats": int("seats"),
  seats: int("seats"),
  bedrooms: int("bedrooms"),
  bathrooms: int("bathrooms"),
  credits: int("credits"),
  year: int("year"),
  duration: int("duration minutes"),
  "duration in minutes": int("duration minutes"),
  minutes: int("minutes"),
  // "cards shown (yellow or red, minute, player)": the minute of a match is a number.
  minute: int("minute"),
  hours: dec("hours"),
  rating: int("rating"),
  stars: int("rating"),
  score: int("score"),
  grade: str("grade", 8),
  weight: dec("weight"),
  height: dec("height"),
  temperature: dec("temperature"),
  humidity: dec("humidity"),
  pressure: dec("pressure"),
  voltage: dec("voltage"),
  latitude: dec("latitude"),
  longitude: dec("longitude"),
  value: dec("value"),
  reading: dec("value"),
  mileage: int("mileage"),
  "square feet": int("square feet"),
  area: dec("area"),
  size: str("size", 32),
  unit: str("unit", 32),
  "battery level": int("battery level"),

  // identifiers and codes
  sku: str("sku", 64, { unique: true, searchable: true }),
  barcode: str("barcode", 64, { unique: true, searchable: true }),
  isbn: str("isbn", 17, { unique: true, searchable: true }),
  "serial number": str("serial number", 64, { unique: true, searchable: true }),
  "serial no": str("serial number", 64, { unique: true, searchable: true }),
  vin: str("vin", 17, { unique: true, searchable: true }),
  "tracking number": str("tracking number", 64, { unique: true, searchable: true }),
  "order number": str("order number", 32, { unique: true, searchable: true }),
  "invoice number": str("invoice number", 32, { unique: true, searchable: true }),
  "reference number": str("reference", 64, { unique: true, searchable: true }),
  reference: str("reference", 64, { unique: true, searchable: true }),
  code: str("code", 32, { unique: true, searchable: true }),
  slug: str("slug", 120, { unique: true, searchable: true }),
  key: str("key", 120, { unique: true, searchable: true }),
  "mac address": str("mac address", 17, { unique: true }),
  "firmware version": str("firmware version", 32),
  version: str("version", 32),
  model: str("model", 120, { searchable: true }),
  make: str("make", 120, { searchable: true }),
  brand: str("brand", 120, { searchable: true }),
  manufacturer: str("manufacturer", 120, { searchable: true }),

  // descriptive
  title: str("title", 200, { searchable: true }),
  subject: str("subject", 200, { searchable: true }),
  headline: str("headline", 200, { searchable: true }),
  label: str("label", 120, { searchable: true }),
  description: text("description"),
  notes: text("notes"),
  note: text("notes"),
  comments: text("comments"),
  comment: text("comment"),
  details: text("details"),
  body: text("body"),
  content: text("content"),
  summary: text("summary"),
  message: text("message"),
  reason: text("reason"),
  instructions: text("instructions"),
  location: str("location", 200, { searchable: true }),
  city: str("city", 100, { searchable: true }),
  country: str("country", 2, { format: "country-code" }),
  "postal code": str("postal code", 16, { format: "postal-code" }),
  "zip code": str("postal code", 16, { format: "postal-code" }),
  zip: str("postal code", 16, { format: "postal-code" }),
  postcode: str("postal code", 16, { format: "postal-code" }),
  category: str("category", 120, { searchable: true }),
  type: str("type", 64, { searchable: true }),
  tags: { name: "tags", type: "json" },
  metadata: { name: "metadata", type: "json" },
  attributes: { name: "attributes", type: "json" },
  payload: { name: "payload", type: "json" },
  color: str("color", 32),
  colour: str("color", 32),
  language: str("language", 16),
  timezone: str("timezone", 64),
  url: str("url", 2048, { format: "url" }),
  website: str("website", 2048, { format: "url" }),
  link: str("url", 2048, { format: "url" }),
  homepage: str("website", 2048, { format: "url" }),
  domain: str("domain", 253, { unique: true, searchable: true }),

  // lifecycle
  status: { name: "status", type: "enum" },
  state: { name: "status", type: "enum" },
  priority: { name: "priority", type: "enum", enumValues: ["low", "medium", "high"] },
  severity: { name: "severity", type: "enum", enumValues: ["low", "medium", "high", "critical"] },
  active: bool("active"),
  enabled: bool("enabled"),
  "is active": bool("active"),
  verified: bool("verified"),
  paid: bool("paid"),
  published: bool("published"),
  date: date("date"),
  "due date": date("due date"),
  deadline: date("due date"),
  "start date": date("start date"),
  "end date": date("end date"),
  "hire date": date("hire date"),
  "expiry on": date("expires on"),
  timestamp: datetime("recorded at"),
  time: datetime("time"),
  "start time": datetime("starts at"),
  // "trips (start, end, destination)": a start and an end alone are moments.
  start: datetime("starts at"),
  end: datetime("ends at"),
  finish: datetime("finished at"),
  "finish time": datetime("finished at"),
  "end time": datetime("ends at"),
  "scheduled time": datetime("scheduled at"),
  // "on a weekday at a fixed time", "day of week": a day of the week, one of seven.
  weekday: { name: "weekday", type: "enum", enumValues: WEEKDAYS },
  "day of week": { name: "day of week", type: "enum", enumValues: WEEKDAYS },
  "day of the week": { name: "day of week", type: "enum", enumValues: WEEKDAYS },
};

/** Suffix rules for field phrases that are not in the table, tried in order. */
export const FIELD_SUFFIX_RULES: ReadonlyArray<{ pattern: RegExp; meaning: (name: string) => FieldMeaning }> =
  [
    { pattern: /\b(?:date|day|on|expiry)$/, meaning: (name) => date(name) },
    // "date out", "date returned": a date named by what happened on it.
    {
      pattern:
        /^date\s+(?:out|in|due|\p{L}+ed|made|given|taken|built|sold|bought|born|written|done|held|sent|paid|won|found|begun|seen)$/u,
      meaning: (name) => date(name),
    },
    { pattern: /\b(?:at|time|timestamp|datetime)$/, meaning: (name) => datetime(name) },
    {
      pattern:
        /\b(?:price|cost|amount|total|fee|balance|salary|payment|charge|rent|fine|budget|premium|excess|deductible|fare|surcharge|payout|tip|penalty)$/,
      meaning: money,
    },
    {
      pattern:
        /^(?:amount|total|balance|sum|price|cost|fee|charge)\s+(?:due|paid|owed|outstanding|\p{L}+ed|won|lost|spent|sold|bought)$/u,
      meaning: money,
    },
    // "party size", "team size": how many people; "shoe size" stays a label.
    { pattern: /^(?:party|group|team|household|family|class|batch|crew|squad)\s+size$/, meaning: int },
    // "min players", "maximum guests": a count.
    { pattern: /^(?:min|max|minimum|maximum)\s+[\p{L}-]+s$/u, meaning: int },
    // "cost per student", "fee per night": a price for each of something.
    { pattern: /\b(?:price|cost|fee|charge|rent|fare)\s+per\s+[\p{L}-]+$/u, meaning: money },
    {
      pattern:
        /\b(?:year|capacity|copies(?: available)?|seats|places|spots|slots|points|visits|attempts|retries|available)$/,
      meaning: int,
    },
    { pattern: /^(?:last|first)\s+\w+$/, meaning: (name) => datetime(name) },
    {
      pattern: /\b(?:count|number of \w+|quantity|qty|minutes|seconds|days|years|months|level)$/,
      meaning: int,
    },
    // "hourly rate", "nightly rate", "per-word rate": a price per unit, not a percentage.
    {
      pattern:
        /\b(?:hourly|daily|nightly|weekly|monthly|yearly|annual|day|night|hour|week|month|word|unit|per[- ]\w+)\s+rate$/,
      meaning: money,
    },
    {
      pattern: /\b(?:rate|ratio|percent|percentage)$/,
      meaning: (name) => ({ ...dec(name), format: "percent" }),
    },
    { pattern: /^(?:is|has|can|allow|allows)\b/, meaning: bool },
    { pattern: /\b(?:flag|enabled|active)$/, meaning: bool },
    { pattern: /\b(?:email)$/, meaning: (name) => ({ ...email, name }) },
    { pattern: /\b(?:phone)$/, meaning: (name) => ({ ...phone, name }) },
    { pattern: /\b(?:url|link|website)$/, meaning: (name) => str(name, 2048, { format: "url" }) },
    { pattern: /\b(?:address)$/, meaning: address },
    { pattern: /\b(?:description|notes|text|comments|summary|details|content|body)$/, meaning: text },
    {
      pattern:
        /\b(?:weight|height|length|width|temperature|score|latitude|longitude|value|hours|distance|mileage|gravity|density|pressure|ph|abv|moisture|humidity|voltage|speed|altitude|depth|rainfall|concentration)$/,
      meaning: dec,
    },
    // "table number", "shirt number": a number painted on a place or a person, counted from one.
    {
      pattern:
        /^(?:table|shirt|jersey|seat|row|floor|lane|locker|bib|court|pitch|pew|bed|stall|pen|kennel)\s+(?:number|no)$/,
      meaning: int,
    },
    {
      pattern: /\b(?:code|number|no|id|identifier|sku)$/,
      meaning: (name) => str(name, 64, { searchable: true }),
    },
    { pattern: /\b(?:name|title)$/, meaning: (name) => str(name, 200, { searchable: true }) },
    {
      pattern: /\b(?:status|state|stage|tier|level)$/,
      meaning: (name) => ({ name, type: "enum" }),
    },
    // "paper type", "room kind": with no values written, a kind is named, not picked from a list.
    { pattern: /\b(?:type|kind)$/, meaning: (name) => str(name, 64) },
  ];

/** Explicit type words people write beside a field: "price (decimal)", "birthday: date". */
export const TYPE_WORDS: Readonly<Record<string, Partial<FieldMeaning>>> = {
  string: { type: "string" },
  str: { type: "string" },
  varchar: { type: "string" },
  text: { type: "text" },
  int: { type: "integer" },
  integer: { type: "integer" },
  number: { type: "integer" },
  bigint: { type: "integer" },
  decimal: { type: "decimal" },
  numeric: { type: "decimal" },
  float: { type: "decimal" },
  double: { type: "decimal" },
  money: { type: "decimal", format: "money" },
  currency: { type: "decimal", format: "money" },
  boolean: { type: "boolean" },
  bool: { type: "boolean" },
  "yes/no": { type: "boolean" },
  date: { type: "date" },
  datetime: { type: "datetime" },
  timestamp: { type: "datetime" },
  timestamptz: { type: "datetime" },
  time: { type: "datetime" },
  uuid: { type: "uuid" },
  json: { type: "json" },
  jsonb: { type: "json" },
  object: { type: "json" },
  email: { type: "string", format: "email" },
  url: { type: "string", format: "url" },
  uri: { type: "string", format: "url" },
  phone: { type: "string", format: "phone" },
  enum: { type: "enum" },
  percent: { type: "decimal", format: "percent" },
  percentage: { type: "decimal", format: "percent" },
};
