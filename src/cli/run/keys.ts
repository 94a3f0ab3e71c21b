import { constants } from "node:fs";
import { open, rm } from "node:fs/promises";
import { UserInputError } from "../../kernel/index.js";
import { generateSigningKeyPair } from "../../services/packager/read.js";
import type { KeysGenerateOptions } from "../commands/keys.js";

/** Writes PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (SPKI PEM). Never prints the private key. */
export async function runKeysGenerate(options: KeysGenerateOptions): Promise<void> {
  if (options.type !== "ecdsa" && options.type !== "rsa") {
    throw new UserInputError("keys.type", `--type ${options.type} is not a key type qlf signs with`, {
      hint: "use ecdsa or rsa",
    });
  }
  const pair = generateSigningKeyPair(options.type);
  const privatePath = `${options.out}.key`;
  const publicPath = `${options.out}.pub`;
  await writeNew(privatePath, pair.privatePem, 0o600, options.force === true);
  try {
    await writeNew(publicPath, pair.publicPem, 0o644, options.force === true);
  } catch (error) {
    await rm(privatePath, { force: true });
    throw error;
  }
  process.stdout.write(
    [
      `private key  ${privatePath} (mode 0600: keep it secret, out of the repository)`,
      `public key   ${publicPath} (publish it: \`qlf capsule verify FILE --key ${publicPath}\`)`,
      `algorithm    ${pair.algorithm}`,
      `key id       ${pair.keyId}`,
      `sign with    qlf package --sign-key ${privatePath}   (or QLF_SIGNING_KEY="$(cat ${privatePath})")`,
      "",
    ].join("\n"),
  );
}

async function writeNew(path: string, text: string, mode: number, force: boolean): Promise<void> {
  const flags =
    constants.O_WRONLY |
    constants.O_CREAT |
    constants.O_NOFOLLOW |
    (force ? constants.O_TRUNC : constants.O_EXCL);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, flags, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      throw new UserInputError("keys.exists", `${path} already exists`, {
        hint: "choose another --out, or pass --force to replace it",
      });
    }
    throw new UserInputError("keys.write", `cannot write ${path}: ${code ?? "error"}`);
  }
  try {
    // open() applies the umask, and a replaced file (--force) keeps its old mode: set it explicitly.
    await handle.chmod(mode);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
