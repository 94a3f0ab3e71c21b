/**
 * What the gates run for each stack: tools to look for, install/test/build/start commands and the
 * static checks. Commands come from the stack's plugin (`StackPlugin.commands`) when it is
 * registered, so a stack's own choice wins; the table below supplies the checks a plugin does not
 * describe (typecheck, vet, pyflakes) and defaults for stacks not registered in this build.
 *
 * Adding a stack: add a `ProfileBase` here (tools, static checks, test report format, route style).
 */
import { getStack, type StackCommands, type StackId } from "../generate/stack.js";

/** An executable the gates need, found by the runner before any gate starts. */
export interface ToolSpec {
  readonly id: string;
  /** Executables to try, in order (names on PATH or absolute paths). */
  readonly candidates: readonly string[];
  /** Arguments that must exit 0 for a candidate to count (e.g. `-c "import pytest"`). */
  readonly probe: readonly string[];
  /** How to get it, for the skip reason. */
  readonly hint: string;
  /** Made by the app's build (`./bin/server`): not looked for before the gates run. */
  readonly builtByApp?: boolean;
}

export interface ProfileCommand {
  /** A tool id from `tools`. */
  readonly tool: string;
  readonly args: readonly string[];
}

export type StaticParser = "tsc" | "file-lines" | "compileall" | "gofmt" | "exit-code";

export interface StaticCheck {
  readonly name: string;
  readonly rule: string;
  readonly command: ProfileCommand;
  readonly parser: StaticParser;
  /** File extensions the parser keeps findings for. */
  readonly extensions: readonly string[];
  /** Warnings do not fail the gate (formatting). */
  readonly severity: "error" | "warning";
  /** When the tool is missing, skip just this check (with the reason) instead of the whole gate. */
  readonly optional: boolean;
  /** Only when this package.json script exists (Node), e.g. `lint`. */
  readonly whenScript?: string;
}

export type TestReport = "vitest-json" | "jest-json" | "junit-xml" | "go-test-json" | "exit-code";
export type RouteStyle = "express" | "fastapi" | "gin";

export interface StackProfile {
  readonly stack: StackId;
  readonly language: "typescript" | "python" | "go";
  readonly tools: readonly ToolSpec[];
  /** The tool every code-running gate needs (npm, python, go). */
  readonly runtime: string;
  readonly install: ProfileCommand | null;
  /** A path whose presence shows the dependencies are installed; null when nothing is installed. */
  readonly installedMarker: string | null;
  readonly staticChecks: readonly StaticCheck[];
  readonly test: ProfileCommand;
  readonly build: ProfileCommand | null;
  readonly start: ProfileCommand;
  readonly routes: RouteStyle;
  /** Source file extensions (security scan, route search). */
  readonly sourceExtensions: readonly string[];
}

const NPM: ToolSpec = {
  id: "npm",
  candidates: ["npm"],
  probe: ["--version"],
  hint: "install Node.js 22 or later",
};
const PYTHON: ToolSpec = {
  id: "python",
  // Debian's interpreter carries the packaged FastAPI stack when a pyenv shim shadows it.
  candidates: ["python3", "/usr/bin/python3", "python"],
  probe: ["-c", "import pytest, fastapi, uvicorn"],
  hint: "install Python 3 with pytest, FastAPI and uvicorn (Debian: apt-get install python3-pytest python3-fastapi python3-uvicorn)",
};
const PYFLAKES: ToolSpec = {
  id: "pyflakes",
  candidates: ["python3", "/usr/bin/python3", "python"],
  probe: ["-m", "pyflakes", "--version"],
  hint: "install pyflakes (Debian: apt-get install python3-pyflakes)",
};
const GO: ToolSpec = { id: "go", candidates: ["go"], probe: ["version"], hint: "install Go 1.19 or later" };
const GOFMT: ToolSpec = {
  id: "gofmt",
  candidates: ["gofmt"],
  probe: [],
  hint: "gofmt comes with Go",
};

interface ProfileBase extends Omit<StackProfile, "install" | "test" | "build" | "start"> {
  readonly defaults: StackCommands;
}

const BASES: Record<StackId, ProfileBase> = {
  express: {
    stack: "express",
    language: "typescript",
    tools: [NPM],
    runtime: "npm",
    installedMarker: "node_modules",
    staticChecks: [
      {
        name: "typecheck (tsc --noEmit)",
        rule: "static/typescript",
        command: { tool: "npm", args: ["exec", "--no", "--", "tsc", "--noEmit", "--pretty", "false"] },
        parser: "tsc",
        extensions: [".ts", ".tsx", ".mts", ".cts"],
        severity: "error",
        optional: false,
      },
      {
        name: "lint (npm run lint)",
        rule: "static/lint",
        command: { tool: "npm", args: ["run", "--silent", "lint"] },
        parser: "exit-code",
        extensions: [".ts", ".tsx", ".js"],
        severity: "error",
        optional: false,
        whenScript: "lint",
      },
    ],
    routes: "express",
    sourceExtensions: [".ts", ".tsx", ".js", ".mjs", ".cjs"],
    defaults: { install: "npm install", test: "npm test", build: "npm run build", start: "npm start" },
  },
  fastapi: {
    stack: "fastapi",
    language: "python",
    tools: [PYTHON, PYFLAKES],
    runtime: "python",
    installedMarker: null,
    staticChecks: [
      {
        name: "compile (python -m compileall)",
        rule: "static/python-syntax",
        command: {
          tool: "python",
          args: ["-m", "compileall", "-q", "-x", "(^|/)(\\.venv|venv|node_modules)/", "."],
        },
        parser: "compileall",
        extensions: [".py"],
        severity: "error",
        optional: false,
      },
      {
        name: "pyflakes",
        rule: "static/pyflakes",
        command: { tool: "pyflakes", args: ["-m", "pyflakes", "."] },
        parser: "file-lines",
        extensions: [".py"],
        severity: "error",
        optional: true,
      },
    ],
    routes: "fastapi",
    sourceExtensions: [".py"],
    defaults: {
      install: "python3 -m pip install -r requirements.txt",
      test: "python3 -m pytest -q",
      build: null,
      start: "python3 -m uvicorn app.main:app --host 127.0.0.1",
    },
  },
  gin: {
    stack: "gin",
    language: "go",
    tools: [GO, GOFMT],
    runtime: "go",
    installedMarker: null,
    staticChecks: [
      {
        name: "vet (go vet ./...)",
        rule: "static/go-vet",
        command: { tool: "go", args: ["vet", "./..."] },
        parser: "file-lines",
        extensions: [".go"],
        severity: "error",
        optional: false,
      },
      {
        name: "format (gofmt -l)",
        rule: "static/gofmt",
        command: { tool: "gofmt", args: ["-l", "."] },
        parser: "gofmt",
        extensions: [".go"],
        severity: "warning",
        optional: true,
      },
    ],
    routes: "gin",
    sourceExtensions: [".go"],
    defaults: {
      install: "go mod download",
      test: "go test ./...",
      build: "go build ./...",
      start: "go run .",
    },
  },
};

/** Stack ids the verifier has a profile for. */
export const PROFILED_STACKS: readonly StackId[] = ["express", "fastapi", "gin"];

/**
 * The profile for a stack: the registered plugin's commands when there is one, else the defaults.
 *
 * @example
 * profileFor("express").test; // { tool: "npm", args: ["test"] }
 */
export function profileFor(stack: StackId): StackProfile {
  const { defaults, ...base } = BASES[stack];
  const commands = getStack(stack)?.commands ?? defaults;
  const tools = [...base.tools];
  const parse = (line: string): ProfileCommand => {
    const command = toProfileCommand(line, base.runtime);
    if (!tools.some((tool) => tool.id === command.tool)) {
      const built = /^\.{0,2}\//.test(command.tool) && !command.tool.startsWith("/");
      tools.push({
        id: command.tool,
        candidates: [command.tool],
        probe: ["--version"],
        hint: `install ${command.tool}`,
        ...(built ? { builtByApp: true } : {}),
      });
    }
    return command;
  };
  const start = parse(commands.start);
  return {
    ...base,
    install: base.installedMarker === null ? null : parse(commands.install),
    test: parse(commands.test),
    build: commands.build === null ? null : parse(commands.build),
    start: { tool: start.tool, args: serverArgs(start.args) },
    tools,
  };
}

/**
 * The start command's listening options, made to listen where the contract gate looks: a fixed
 * `--port 8080` becomes `{port}` (the runner's free port; PORT is set too) and `0.0.0.0` loopback.
 */
export function serverArgs(args: readonly string[]): string[] {
  return args.map((arg, index) => {
    const previous = args[index - 1];
    if (previous === "--port" || previous === "-p") return "{port}";
    if (previous === "--host" && arg === "0.0.0.0") return "127.0.0.1";
    if (/^--port=\d+$/.test(arg)) return "--port={port}";
    return arg;
  });
}

/** `python3 -m pytest -q` → `{ tool: "python", args: ["-m", "pytest", "-q"] }`. */
export function toProfileCommand(line: string, runtime: string): ProfileCommand {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
  const [first = runtime, ...rest] = words;
  const aliases: Record<string, string> = { python3: "python", python: "python", npm: "npm", go: "go" };
  const tool = aliases[first] ?? first;
  if (first === "pytest") return { tool: "python", args: ["-m", "pytest", ...rest] };
  return { tool, args: rest };
}

/** Guesses the stack from the files at the top of the tree when there is no `.qlf/` record. */
export function detectStack(topLevelFiles: readonly string[]): StackId | null {
  const has = (name: string) => topLevelFiles.includes(name);
  if (has("go.mod")) return "gin";
  if (has("pyproject.toml") || has("requirements.txt")) return "fastapi";
  if (has("package.json")) return "express";
  return null;
}
