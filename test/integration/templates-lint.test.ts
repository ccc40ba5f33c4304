/**
 * cfn-lint on both templates: no errors and no warnings (informational notes are allowed). cfn-lint
 * is a system part (scripts/prerequisites/parts.ts; `npm test` checks it is there and says how to
 * install it). A deliberately broken copy proves the check can fail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, templatePath } from '../../backend/deploy/template.ts';
import { binaryPath } from '../../scripts/prerequisites/index.ts';

interface Finding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Location: { Start: { LineNumber: number } };
}

const run = promisify(execFile);
const scratch = mkdtemp(join(tmpdir(), 'switchyard-lint-'));

afterAll(async () => rm(await scratch, { recursive: true, force: true }));

/** cfn-lint's findings; it exits non-zero when it finds any, which is not a failure to run. */
async function lint(file: string): Promise<Finding[]> {
  const result = await run(binaryPath('cfn-lint'), ['--format', 'json', '--info', '--', file], { maxBuffer: 16 * 2 ** 20 }).catch(
    (error: { stdout?: string; code?: number; stderr?: string }) => {
      if (typeof error.stdout === 'string' && error.stdout.trim().startsWith('[')) return { stdout: error.stdout };
      throw new Error(`cfn-lint could not lint ${file} (exit ${error.code}): ${error.stderr}`);
    },
  );
  return JSON.parse(result.stdout) as Finding[];
}

const describeFinding = (f: Finding) => `${f.Level} ${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`;

describe('cfn-lint', () => {
  it.each(TEMPLATE_NAMES)('%s.yaml has no errors and no warnings', async (name) => {
    const findings = await lint(templatePath(name));
    expect(findings.filter((f) => f.Level !== 'Informational').map(describeFinding)).toEqual([]);
  });

  it('finds the error in a broken template (the check can fail)', async () => {
    const broken = join(await scratch, 'broken.yaml');
    const text = await readFile(templatePath('member'), 'utf8');
    await writeFile(broken, text.replace('Type: AWS::IAM::Role', 'Type: AWS::IAM::Rolle'));
    expect((await lint(broken)).filter((f) => f.Level === 'Error').length).toBeGreaterThan(0);
  });
});
