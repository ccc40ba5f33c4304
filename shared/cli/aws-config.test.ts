import { describe, expect, it } from 'vitest';
import { BLOCK_BEGIN, BLOCK_END, planAwsConfig, type AwsProfile } from './aws-config.ts';

const profile = (name: string, region = 'eu-west-1'): AwsProfile => ({
  name,
  settings: [
    ['credential_process', `switchyard credentials --account 111111111111 --permission-set ${name.split('/')[1] ?? 'X'}`],
    ['region', region],
  ],
});

function plan(current: string, profiles: AwsProfile[], notes: string[] = []) {
  const result = planAwsConfig(current, profiles, notes);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

function problems(current: string, profiles: AwsProfile[] = [profile('dev/Developer')]) {
  const result = planAwsConfig(current, profiles);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const MINE =
  '# my own settings\n[default]\nregion = eu-north-1\n\n[profile mine]\nrole_arn = arn:aws:iam::222222222222:role/x\nsource_profile = default\n';

describe("configure's block in ~/.aws/config", () => {
  it('appends the block after what is there, and a second run changes nothing', () => {
    const first = plan(MINE, [profile('dev/Developer'), profile('sandbox/Developer', 'us-east-1')]);
    expect(first.changed).toBe(true);
    expect(first.added).toEqual(['dev/Developer', 'sandbox/Developer']);
    expect(first.text.startsWith(MINE)).toBe(true);
    expect(first.text).toContain(`\n${BLOCK_BEGIN}\n`);
    expect(first.text).toContain('[profile sandbox/Developer]\ncredential_process = switchyard credentials');
    expect(first.text.endsWith(`${BLOCK_END}\n`)).toBe(true);

    const second = plan(first.text, [profile('dev/Developer'), profile('sandbox/Developer', 'us-east-1')]);
    expect(second.changed).toBe(false);
    expect(second.text).toBe(first.text);
    expect(second.unchanged).toEqual(['dev/Developer', 'sandbox/Developer']);
  });

  it('rewrites the block where it stands, keeps every line outside it, and prunes what is gone', () => {
    const first = plan(MINE, [profile('dev/Developer'), profile('sandbox/Developer')]).text;
    const edited = `${first}\n[profile after]\nregion = ap-south-1\n`.replace('region = eu-north-1', 'region = eu-south-2');
    const next = plan(edited, [profile('dev/Developer', 'us-west-2'), profile('prod/ReadOnly')]);
    expect(next.added).toEqual(['prod/ReadOnly']);
    expect(next.updated).toEqual(['dev/Developer']);
    expect(next.removed).toEqual(['sandbox/Developer']);
    expect(next.text).toContain('region = eu-south-2');
    expect(next.text).toContain('[profile after]\nregion = ap-south-1\n');
    expect(next.text).not.toContain('sandbox/Developer');
    const outside = (text: string) => text.slice(0, text.indexOf(BLOCK_BEGIN)) + text.slice(text.indexOf(BLOCK_END));
    expect(outside(next.text)).toBe(outside(edited));
  });

  it('writes notes as comments inside the block', () => {
    expect(plan('', [], ['console-only: prod/Admin']).text).toBe(
      `${BLOCK_BEGIN}\n# Run \`switchyard configure\` again to update them; profiles of entitlements that are gone are removed.\n\n# console-only: prod/Admin\n${BLOCK_END}\n`,
    );
  });

  it('refuses a profile of the same name outside the block, naming its line', () => {
    expect(problems(`${MINE}[profile dev/Developer]\nregion = x\n`)).toEqual([
      {
        line: 8,
        message:
          '[profile dev/Developer] is defined outside the block switchyard configure owns; rename or remove it, or choose other names with --profile-name',
      },
    ]);
  });

  it.each([
    ['[profile broken\nregion = x\n', 1, 'a section header without its closing ]'],
    ['[default]\nthis is not a setting\n', 2, 'neither a [section], a "key = value" setting nor a comment'],
    ['region = x\n[default]\n', 1, 'a setting outside any [section] (before the first, or right after the switchyard block)'],
    ['[default]\nregion = a\n[default]\n', 3, '[default] appears again (first at line 1); the AWS CLI refuses such a file'],
    ['[default]\nregion = a\nregion = b\n', 3, 'region is set twice in [default] (first at line 2)'],
    [`${BLOCK_BEGIN}\n[profile x]\n`, 1, 'the switchyard block has no end line'],
    [`[default]\n${BLOCK_END}\n`, 2, 'a switchyard block end without its beginning'],
    [`${BLOCK_BEGIN}\n${BLOCK_END}\nregion = x\n`, 3, 'a setting outside any [section] (before the first, or right after the switchyard block)'],
  ])('refuses a file the AWS CLI could not read: %j at line %i', (text, line, message) => {
    expect(problems(text)).toContainEqual({ line, message });
  });

  it('reads what botocore reads: comments, colons, nested settings, CRLF', () => {
    const nested = '; a comment\n[profile s3]\ns3 =\n  max_concurrent_requests = 20\n  max_queue_size = 1000\nregion: eu-west-1\r\n';
    expect(plan(nested, [profile('dev/Developer')]).text.startsWith('; a comment\n[profile s3]\ns3 =\n  max_concurrent_requests = 20\n')).toBe(true);
  });

  it('ignores what was written inside its own block, and refuses two profiles of one name', () => {
    const first = plan('', [profile('dev/Developer')]).text.replace('[profile dev/Developer]', '[profile dev/Developer]\ngarbage line');
    expect(plan(first, [profile('dev/Developer')]).updated).toEqual(['dev/Developer']);
    expect(planAwsConfig('', [profile('a/B'), profile('a/B')]).ok).toBe(false);
    expect(planAwsConfig('', [profile('a]B/C')]).ok).toBe(false);
  });
});
