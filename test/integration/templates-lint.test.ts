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
import { REPOSITORY_ROOT } from '../../backend/deploy/bundle.ts';
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

/** CloudFormation takes a template of at most 51,200 bytes inline (TemplateBody); a larger one must be in S3 (TemplateURL). */
const INLINE_TEMPLATE_BYTES = 51_200;

describe('template size', () => {
  it('every instruction that deploys the management template uploads it to S3 first, whatever its size', async () => {
    for (const file of ['README.md', 'docs/deploy.md', 'backend/deploy/package.ts']) {
      const text = await readFile(join(REPOSITORY_ROOT, file), 'utf8');
      const deploys = [...text.matchAll(/aws cloudformation\s+deploy/g)].map((match) => text.slice(match.index, match.index + 300));
      expect(deploys.length, file).toBeGreaterThan(0);
      for (const deploy of deploys.filter((command) => command.includes('management.yaml'))) expect(deploy, file).toContain('--s3-bucket');
    }
  });

  it.each(['member', 'policy-ci'] as const)('%s.yaml, which the docs give inline (--template-body), stays under the inline limit', async (name) => {
    expect(Buffer.byteLength(await readFile(templatePath(name), 'utf8'))).toBeLessThan(INLINE_TEMPLATE_BYTES);
  });
});
