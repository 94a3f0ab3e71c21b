/**
 * The generated FastAPI apps on pydantic 2, FastAPI 0.1xx and SQLAlchemy 2.0 (CI runs them on
 * Debian 12's pydantic 1.10, FastAPI 0.92 and SQLAlchemy 1.4). PyPI is unreachable here, so this
 * needs an interpreter that has those versions, given through the environment:
 *
 *   QLF_PY2_PYTHON   a Python 3.10+ with pydantic 2, pytest and cryptography (e.g. a venv)
 *   QLF_PY2_PATH     PYTHONPATH with what it lacks (FastAPI, Starlette, anyio, httpx, SQLAlchemy,
 *                    psycopg2, PyJWT), e.g. Debian 13's python3-* packages unpacked with dpkg -x
 *
 * Without them it is skipped and says so. It runs the pytest suites of two briefs in memory and on
 * a fresh PostgreSQL database, and checks the interpreter really has pydantic 2.
 */
import { describe, expect, it } from "vitest";
import { createDatabase, run } from "../../scripts/app-harness/harness.js";
import { FASTAPI_CASES } from "./fastapi-cases.js";
import { cleanUp, generateWithCli } from "./fastapi-verify.js";

const python = process.env.QLF_PY2_PYTHON;
const extraPath = process.env.QLF_PY2_PATH ?? "";

describe.skipIf(python === undefined)("generated FastAPI apps on pydantic 2 (QLF_PY2_PYTHON)", () => {
  const env = (dir: string, extra: Record<string, string | undefined> = {}) => ({
    PYTHONPATH: extraPath,
    PYTHONDONTWRITEBYTECODE: "1",
    DATABASE_URL: undefined,
    ...extra,
    PWD: dir,
  });

  it("has pydantic 2", async () => {
    const result = await run(
      python as string,
      [
        "-c",
        "import pydantic, fastapi, sqlalchemy; print(pydantic.VERSION, fastapi.__version__, sqlalchemy.__version__)",
      ],
      {
        cwd: process.cwd(),
        env: env(process.cwd()),
      },
    );
    expect(result.output).toMatch(/^2\./);
    console.info(`pydantic, FastAPI, SQLAlchemy: ${result.output.trim()}`);
  });

  it.concurrent.each(FASTAPI_CASES.filter((testCase) => testCase.auth !== "none"))(
    "$name: the app's tests pass in memory and on PostgreSQL",
    async (testCase) => {
      const app = await generateWithCli(testCase);
      const db = await createDatabase("qlf_e2e_py2");
      try {
        const memory = await run(python as string, ["-m", "pytest", "-q"], {
          cwd: app.dir,
          env: env(app.dir),
          timeoutMs: 240_000,
        });
        expect(memory.code, memory.output).toBe(0);
        const onPg = await run(python as string, ["-m", "pytest", "-q"], {
          cwd: app.dir,
          env: env(app.dir, { DATABASE_URL: db.url }),
          timeoutMs: 240_000,
        });
        expect(onPg.code, onPg.output).toBe(0);
        console.info(
          `${testCase.name}: ${/\d+ passed/.exec(memory.output)?.[0]} in memory, ${/\d+ passed/.exec(onPg.output)?.[0]} on PostgreSQL`,
        );
      } finally {
        await db.drop();
        await cleanUp(app.dir);
      }
    },
    300_000,
  );
});
