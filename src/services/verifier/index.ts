/** Running the verification gates on a directory (the I/O side of src/kernel/verifier). */

export { adminUrl, createScratchDatabase, DEFAULT_ADMIN_URL, probeDatabase } from "./database.js";
export { listTree, readTreeFile } from "./files.js";
export { cleanEnv, runCommand, startServer } from "./process.js";
export { unmetNeed, type VerifyOptions, verifyApp } from "./run.js";
