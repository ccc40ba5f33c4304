/**
 * The first thing the bundled CLI runs (backend/deploy/bundle-cli.ts). `credential_process` runs
 * `switchyard credentials` on every AWS call, and Node would spend longer parsing the whole CLI than
 * starting itself; so the whole program travels as a string, compiled only when the cache cannot answer.
 */
import { cachedCredentialsOutput } from './people/credentials-fast-path.ts';

/** The whole CLI, CommonJS, Brotli-compressed and base64: put here by the build. */
declare const SWITCHYARD_CLI_PROGRAM: string;

const args = process.argv.slice(2);
const cached = args[0] === 'credentials' ? cachedCredentialsOutput(args.slice(1), process.env) : undefined;
if (cached !== undefined) {
  process.stdout.write(cached);
} else {
  // Loaded here, not imported: a call the cache answers needs neither.
  const { brotliDecompressSync } = process.getBuiltinModule('node:zlib');
  const { compileFunction } = process.getBuiltinModule('node:vm');
  const source = brotliDecompressSync(Buffer.from(SWITCHYARD_CLI_PROGRAM, 'base64')).toString('utf8');
  const program = compileFunction(source, ['require', 'module', 'exports', '__filename', '__dirname'], {
    filename: `${__filename}#program`,
  });
  const module = { exports: {} };
  program(require, module, module.exports, __filename, __dirname);
}
