/** Reads DIR for a policy command, or explains on stderr why it cannot. */
import { stat } from 'node:fs/promises';
import { readPolicyDir } from './policy-folder.ts';
import type { PolicyFile } from '../../shared/policy/problem.ts';
import { printable } from '../../shared/printable.ts';
import type { CliIo } from './command.ts';
import { errorText } from '../../shared/error-text.ts';

export async function readPolicyFolder(dir: string, io: CliIo): Promise<PolicyFile[] | undefined> {
  try {
    if (!(await stat(dir)).isDirectory()) {
      io.stderr(`${printable(`${dir} is not a folder`)}\n`);
      return undefined;
    }
    return await readPolicyDir(dir);
  } catch (error) {
    io.stderr(`${printable(`cannot read policy folder ${dir}: ${errorText(error)}`)}\n`);
    return undefined;
  }
}
