/** Reads DIR for a policy command, or explains on stderr why it cannot. */
import { stat } from 'node:fs/promises';
import { readPolicyDir } from './policy-folder.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';
import { printable } from '../../shared/printable.ts';
import type { CliIo } from './command.ts';

export async function readPolicyFolder(dir: string, io: CliIo): Promise<PolicyFile[] | undefined> {
  try {
    if (!(await stat(dir)).isDirectory()) {
      io.stderr(`${printable(`${dir} is not a folder`)}\n`);
      return undefined;
    }
    return await readPolicyDir(dir);
  } catch (error) {
    io.stderr(`${printable(`cannot read policy folder ${dir}: ${error instanceof Error ? error.message : String(error)}`)}\n`);
    return undefined;
  }
}
