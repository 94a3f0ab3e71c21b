/** `app/models/<module>.py`: request bodies (pydantic), the checks of each field, record → API. */
import type {
  EntityPlan,
  FieldSchema,
  PlannedField,
  PlannedOperation,
} from "../../../generate/plan-schema.js";
import { decimalScale } from "../../shared/sample-values.js";
import type { Markers } from "../markers.js";
import type { EntityNames } from "../names.js";
import { docText, indent, lines, pyIdent, pyList, pyLiteral, pyPattern, pyStr } from "../py.js";

/** The Python type annotation of a value of this schema (before Optional). */
export function pyType(schema: FieldSchema): string {
  switch (schema.type) {
    case "string":
      return "StrictStr";
    case "integer":
      return "StrictInt";
    case "number":
      return "float";
    case "boolean":
      return "StrictBool";
    case "object":
      return "Dict[str, Any]";
  }
}

/**
 * The call of app/validation.py that checks (and normalises) a value of this schema, as an
 * expression of `value`, or null when the type alone says everything (booleans).
 */
export function checkCall(schema: FieldSchema, value = "value"): string | null {
  if (schema.type === "integer" || schema.type === "number") {
    const options = [
      ...(schema.minimum === null ? [] : [`minimum=${schema.minimum}`]),
      ...(schema.maximum === null ? [] : [`maximum=${schema.maximum}`]),
    ];
    return options.length === 0 ? null : `validation.integer(${[value, ...options].join(", ")})`;
  }
  if (schema.type !== "string") return null;
  if (schema.enum !== null) return `validation.one_of(${value}, ${pyList(schema.enum)})`;
  const max = schema.maxLength === null ? [] : [`max_length=${schema.maxLength}`];
  switch (schema.format) {
    case "uuid":
      return `validation.uuid(${value})`;
    case "email":
      return `validation.email(${[value, ...max].join(", ")})`;
    case "uri":
      return `validation.url(${[value, ...max].join(", ")})`;
    case "date":
      return `validation.date_text(${value})`;
    case "date-time":
      return `validation.datetime_text(${value})`;
    case "decimal":
      return `validation.decimal_text(${value}, pattern=${pyStr(pyPattern(schema.pattern ?? "^-?[0-9]+(\\.[0-9]+)?$"))}, scale=${decimalScale(schema)})`;
    case "card-number":
      return `validation.card_number(${value}${schema.pattern === null ? "" : `, pattern=${pyStr(pyPattern(schema.pattern))}`})`;
    default:
      break;
  }
  const options = [
    ...(schema.minLength !== null && schema.minLength > 0 ? [`min_length=${schema.minLength}`] : []),
    ...max,
    ...(schema.pattern === null ? [] : [`pattern=${pyStr(pyPattern(schema.pattern))}`]),
  ];
  return options.length === 0 ? null : `validation.text(${[value, ...options].join(", ")})`;
}

/** A check that must run before type validation (a JSON number, a JSON object), or null. */
function preCheck(schema: FieldSchema): string | null {
  if (schema.type === "number") return "validation.number(value)";
  if (schema.type === "object") return "validation.json_object(value)";
  return null;
}

interface ModelField {
  readonly field: PlannedField;
  /** The declaration line. */
  readonly declaration: string;
  readonly attribute: string;
  readonly pre: string | null;
  readonly check: string | null;
}

function declare(field: PlannedField, mode: "create" | "update"): ModelField {
  const attribute = pyIdent(field.name);
  const type = pyType(field.schema);
  const alias = attribute === field.name ? null : field.name;
  let annotation: string;
  let defaultValue: string | null;
  if (mode === "update") {
    annotation = `Optional[${type}]`;
    defaultValue = "None";
  } else if (field.default !== null) {
    annotation = field.schema.nullable ? `Optional[${type}]` : type;
    defaultValue = pyLiteral(field.default);
  } else if (field.create === "required") {
    annotation = field.schema.nullable ? `Optional[${type}]` : type;
    defaultValue = null;
  } else {
    annotation = `Optional[${type}]`;
    defaultValue = "None";
  }
  const value =
    alias === null
      ? defaultValue === null
        ? ""
        : ` = ${defaultValue}`
      : ` = Field(${defaultValue ?? "..."}, alias=${pyStr(alias)})`;
  const pre = [
    ...(mode === "update" && !field.schema.nullable ? ["validation.not_null(value)"] : []),
    ...(preCheck(field.schema) === null ? [] : [preCheck(field.schema) as string]),
  ];
  return {
    field,
    attribute,
    declaration: `${attribute}: ${annotation}${value}`,
    pre: pre.length === 0 ? null : pre.length === 1 ? (pre[0] as string) : pre.join(" and "),
    check: checkCall(field.schema),
  };
}

function modelClass(name: string, doc: string, fields: readonly ModelField[], markers: Markers): string {
  const body: string[] = [`"""${doc}"""`, ""];
  for (const f of fields) {
    const marker = f.field.schema.format === "decimal" ? markers.control("decimal-money") : "";
    body.push(`${f.declaration}${marker}`);
  }
  for (const f of fields) {
    if (f.pre !== null) {
      // `not_null(value) and number(value)` would short-circuit on falsy values: run them in turn.
      const calls = f.pre.split(" and ");
      body.push(
        "",
        `@check(${pyStr(f.attribute)}, pre=True)`,
        `def _before_${f.attribute}(cls, value: Any) -> Any:`,
        ...calls.slice(0, -1).map((call) => `    ${call}`),
        `    return ${calls[calls.length - 1]}`,
      );
    }
    if (f.check !== null) {
      body.push(
        "",
        `@check(${pyStr(f.attribute)})`,
        `def _check_${f.attribute}(cls, value: Any) -> Any:`,
        `    return ${f.check}`,
      );
    }
  }
  return `class ${name}(RequestModel):\n${indent(body.join("\n"))}`;
}

export function modelFile(
  entity: EntityPlan,
  names: EntityNames,
  operations: readonly PlannedOperation[],
  markers: Markers,
): string {
  const output = entity.fields.filter((field) => field.output);
  const hasCreate = operations.some((op) => op.kind === "create");
  const hasUpdate = operations.some((op) => op.kind === "update");
  const createFields = entity.fields
    .filter((field) => field.create !== "forbidden")
    .map((f) => declare(f, "create"));
  const updateFields = entity.fields.filter((field) => field.update).map((f) => declare(f, "update"));
  const classes: string[] = [];
  if (hasCreate) {
    classes.push(
      modelClass(
        names.create,
        `Body of POST /${entity.route}. Unknown fields are refused.`,
        createFields,
        markers,
      ),
    );
  }
  if (hasUpdate) {
    classes.push(
      modelClass(
        names.update,
        `Body of PATCH /${entity.route}/{id}: any subset of the updatable fields (at least one).`,
        updateFields,
        markers,
      ),
    );
  }
  const used = [...(hasCreate ? createFields : []), ...(hasUpdate ? updateFields : [])];
  const decl = used.map((f) => f.declaration).join("\n");
  const typing = ["Any", "Dict", ...(decl.includes("Optional[") ? ["Optional"] : [])];
  const pydantic = [
    ...(decl.includes("Field(") ? ["Field"] : []),
    ...(decl.includes("StrictBool") ? ["StrictBool"] : []),
    ...(decl.includes("StrictInt") ? ["StrictInt"] : []),
    ...(decl.includes("StrictStr") ? ["StrictStr"] : []),
  ];
  const usesValidation = used.some((f) => f.check !== null || f.pre !== null);
  const description = entity.description === "" ? "" : `: ${docText(entity.description)}`;
  return `"""
${entity.name}${description}

The request bodies the API accepts and the shape it returns, generated from the same plan as
openapi.yaml and the migrations. Records are dicts keyed by the JSON field names.
"""
from typing import ${typing.join(", ")}
${
  classes.length === 0
    ? ""
    : `${pydantic.length === 0 ? "" : `\nfrom pydantic import ${pydantic.join(", ")}\n`}
${lines(usesValidation && "from app import validation", "from app.compat import RequestModel, check")}
`
}
#: What a response shows, in order: an explicit list, so that a new stored column is never leaked.
OUTPUT_FIELDS = ${pyList(output.map((field) => field.name))}
${classes.map((cls) => `\n\n\n${cls}`).join("")}


def to_api(record: Dict[str, Any]) -> Dict[str, Any]:
    """The ${entity.name} as the API shows it."""
    return {name: record.get(name) for name in OUTPUT_FIELDS}
`;
}
