/**
 * The first thing the bundled CLI runs (backend/deploy/bundle-cli.ts). `credential_process` runs
 * `switchyard credentials` on every AWS call, and Node would spend longer parsing the whole CLI than
 * starting itself; so the whole program travels as a string, compiled only when the cache cannot answer.
 */
import { compileFunction } from 'node:vm';
import { cachedCredentialsOutput } from './people/credentials-fast-path.ts';

/** The whole CLI, CommonJS: put here by the build. */
declare const SWITCHYARD_CLI_PROGRAM: string;

const args = process.argv.slice(2);
const cached = args[0] === 'credentials' ? cachedCredentialsOutput(args.slice(1), process.env) : undefined;
if (cached !== undefined) {
  process.stdout.write(cached);
} else {
  const program = compileFunction(SWITCHYARD_CLI_PROGRAM, ['require', 'module', 'exports', '__filename', '__dirname'], {
    filename: `${__filename}#program`,
  });
  const module = { exports: {} };
  program(require, module, module.exports, __filename, __dirname);
}
