/**
 * Switchyard's own limits on a policy folder (or bucket). Far above any real policy, low enough
 * that a wrong folder, a generated file or a hostile one is refused before anything is parsed —
 * in milliseconds, not the seconds and hundreds of megabytes parsing costs (about 1 s and 110 MB
 * per MiB of YAML). The folder reader and the bucket reader check them before reading (see
 * filesToRead), and the loader checks them again. Documented in docs/policy-files.md.
 */

/** Largest single file, in bytes as stored: 1 MiB (roughly 10,000 accounts with a few tags each). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Most files in the folder, every file counted (ignored ones too: they are pushed and read back). */
export const MAX_FILES = 2000;
/** All files together, in bytes: 8 MiB. */
export const MAX_TOTAL_BYTES = 8 * 1024 * 1024;
/** Deepest nesting of lists and maps in a file (YAML or JSON); policy files need about 8. */
export const MAX_NESTING_DEPTH = 64;
export const NESTED_TOO_DEEPLY = `nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`;
/** Most YAML aliases (*name) in one file: resolving them costs time quadratic in their number. */
export const MAX_ALIASES = 1000;
