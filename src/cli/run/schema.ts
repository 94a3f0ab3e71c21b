import { z } from "zod";
import { irJsonSchema, Overlay, UserInputError } from "../../kernel/index.js";

const schemas: Record<string, () => unknown> = {
  ir: irJsonSchema,
  overlay: () => z.toJSONSchema(Overlay, { target: "draft-2020-12" }),
};

export function runSchema(name: string): void {
  const make = schemas[name];
  if (make === undefined) {
    throw new UserInputError("schema.unknown", `no schema named "${name}"`, {
      hint: `choose one of: ${Object.keys(schemas).join(", ")}`,
    });
  }
  process.stdout.write(`${JSON.stringify(make(), null, 2)}\n`);
}
