/**
 * The FastAPI stack plugin: Python + FastAPI + pydantic (1.10 or 2) + SQLAlchemy Core + PostgreSQL.
 *
 * @example
 * registerStack(fastapiStack);
 * const files = getStack("fastapi")?.generate(context);
 */
import type { StackPlugin } from "../../generate/stack.js";
import { generateFastapi } from "./generate.js";

export const fastapiStack: StackPlugin = {
  id: "fastapi",
  title: "Python + FastAPI + PostgreSQL",
  language: "python",
  generate: generateFastapi,
  commands: {
    install: "pip install -r requirements-dev.txt",
    test: "python -m pytest",
    build: null,
    start: "python -m uvicorn app.main:app --host 0.0.0.0 --port 8080",
    offlineTest: "/usr/bin/python3 -m pytest",
  },
  image: { baseImages: ["docker.io/library/python:3.11-slim"], port: 8080 },
  // FastAPI answers request validation failures with 422 (the REST contract allows it).
  validationStatus: 422,
  conventions: [
    "Python 3.10+ on FastAPI; pydantic models for request bodies that run on pydantic 1.10 and 2 (app/compat.py); strict types, unknown fields refused.",
    "app/main.py has create_app(config, stores): the app is built from injected stores (in memory for tests, PostgreSQL in the server); uvicorn serves app.main:app.",
    "One module per resource in app/models, app/repositories and app/routers (an APIRouter; handlers get the AppContext through Depends(get_context)).",
    "Handlers raise ApiError (app/errors.py); validation errors are 422 with { error: { code, message, details: [{ path, message }] } }.",
    "SQL is built with SQLAlchemy Core: identifiers from constants, values always bound parameters.",
    "Tests are pytest + TestClient in tests/test_<resource>.py; they run in memory, or on PostgreSQL with DATABASE_URL.",
  ],
};

export { generateFastapi } from "./generate.js";
