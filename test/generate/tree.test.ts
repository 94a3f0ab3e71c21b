import { describe, expect, it } from "vitest";
import { assertSafePath, normaliseTree, producedBy, UnsafePathError } from "../../src/kernel/index.js";

const deny = { allowWorkflows: false };
const allow = { allowWorkflows: true };

describe("assertSafePath", () => {
  it.each([
    ["src/app.ts"],
    ["README.md"],
    [".github/dependabot.yml"],
    [".dockerignore"],
    ["a/b/c/d.txt"],
    ["migrations/0001_init.up.sql"],
  ])("accepts %s", (path) => {
    expect(() => assertSafePath(path, deny)).not.toThrow();
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["../outside", '".." segment'],
    ["a/../../b", '".." segment'],
    ["a/./b", '"." segment'],
    ["./a", '"." segment'],
    ["a//b", "empty segment"],
    ["a/", "empty segment"],
    ["a\\b", "backslash"],
    ["..\\..\\windows", "backslash"],
    ["C:/Windows/system32", "drive letter"],
    ["c:evil", "drive letter"],
    ["~/.ssh/authorized_keys", "~"],
    [".git/config", ".git/"],
    [".git/hooks/pre-commit", ".git/"],
    ["sub/.git/HEAD", ".git/"],
    [".GIT/config", ".git/"],
    [".git", ".git/"],
    ["a\u0000b", "control character"],
    ["a\nb", "control character"],
    ["name.", "ends with a dot"],
    ["name ", "ends with a dot or a space"],
    [`${"a".repeat(121)}/b`, "longer than 120"],
    [".github/workflows/ci.yml", ".github/workflows/"],
    [".GitHub/Workflows/x.yml", ".github/workflows/"],
  ])("refuses %j (%s)", (path, why) => {
    let error: unknown;
    try {
      assertSafePath(path, deny);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toContain(why);
  });

  it("allows workflows only when the policy does", () => {
    expect(() => assertSafePath(".github/workflows/qlf.yml", allow)).not.toThrow();
    expect(() => assertSafePath(".github/workflows/qlf.yml", deny)).toThrow(UnsafePathError);
    // Allowing workflows never allows .git.
    expect(() => assertSafePath(".git/config", allow)).toThrow(UnsafePathError);
  });
});

describe("normaliseTree", () => {
  it("sorts by path and strips producer tags", () => {
    const tree = normaliseTree(
      [
        ...producedBy("b", [{ path: "z.txt", content: "z", mode: 0o644 }]),
        ...producedBy("a", [
          { path: "a/b.txt", content: "b", mode: 0o755 },
          { path: "A.md", content: "A", mode: 0o644 },
        ]),
      ],
      deny,
    );
    expect(tree).toEqual([
      { path: "A.md", content: "A", mode: 0o644 },
      { path: "a/b.txt", content: "b", mode: 0o755 },
      { path: "z.txt", content: "z", mode: 0o644 },
    ]);
  });

  it("names both producers of a duplicate, case-insensitively", () => {
    expect(() =>
      normaliseTree(
        [
          ...producedBy("ops", [{ path: "README.md", content: "1", mode: 0o644 }]),
          ...producedBy("express", [{ path: "readme.md", content: "2", mode: 0o644 }]),
        ],
        deny,
      ),
    ).toThrow(/"README.md" \(ops\) and "readme.md" \(express\)/);
  });

  it("refuses a file that another file needs as a directory", () => {
    expect(() =>
      normaliseTree(
        [
          ...producedBy("a", [{ path: "src", content: "", mode: 0o644 }]),
          ...producedBy("b", [{ path: "src/app.ts", content: "", mode: 0o644 }]),
        ],
        deny,
      ),
    ).toThrow(/"src" \(a\) is a file/);
  });

  it("refuses modes other than 644 and 755", () => {
    expect(() => normaliseTree([{ path: "x.sh", content: "", mode: 0o777 as 0o755 }], deny)).toThrow(
      UnsafePathError,
    );
  });
});
