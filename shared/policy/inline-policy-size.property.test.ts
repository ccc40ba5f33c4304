/**
 * The inline policy check never accepts a policy that IAM refuses. IAM's quota page gives 10,240
 * characters per role and says white space is not counted; it leaves open white space inside strings
 * and characters above U+007F (IAM's own LimitExceeded error speaks of bytes). The strictest reading
 * is the UTF-8 size of the JSON the reconciler sends, with white space outside strings removed: the
 * check must refuse every policy that reading puts over the quota, however the file is laid out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INLINE_POLICY_CHARS } from '../iam/limits.ts';
import { filesWith } from '../../test/fixtures/policy-files.ts';
import { loadPolicy } from './load-policy.ts';

/** Written apart from the code under test: drops white space outside JSON strings, keeps the rest as it is. */
function withoutOuterWhiteSpace(json: string): string {
  let out = '';
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json[index]!;
    if (inString) {
      out += char;
      if (char === '\\') out += json[++index] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (!/\s/.test(char)) out += char;
  }
  return out;
}

/** The strictest reading of IAM's rule: bytes (UTF-8, as the request is sent) of the JSON without outer white space. */
const iamCount = (sentJson: string) => new TextEncoder().encode(withoutOuterWhiteSpace(sentJson)).length;

const refusedAsTooLarge = (file: string) =>
  loadPolicy(filesWith({ 'policies/deny.json': file })).problems.some((problem) =>
    /^inline policy "policies\/deny\.json" is [\d,]+ /.test(problem.message),
  );

/** Characters IAM allows in a policy document, weighted to the ones that count differently. */
const policyChar = fc.constantFrom('a', 'Z', '0', '*', ' ', '\t', '\n', 'é', 'ÿ', '\u00a0', '"', '\\', '/');

describe('the inline policy size check', () => {
  it('refuses every policy the strictest reading of IAM’s rule puts over 10,240, however it is laid out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: policyChar, minLength: 1, maxLength: 40, size: 'max' }), { minLength: 1, maxLength: 40, size: 'max' }),
        fc.integer({ min: -600, max: 300 }),
        fc.constantFrom(0, 2, 4, '\t'),
        (values, slack, indent) => {
          // Padded so that the document is around 10,240 characters: the check is tested where it decides.
          const make = (padding: number) => ({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Padding', Effect: 'Deny', Action: `s3:${'x'.repeat(padding)}`, Resource: '*' },
              { Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/team': values } } },
            ],
          });
          const document = make(Math.max(0, MAX_INLINE_POLICY_CHARS + slack - JSON.stringify(make(0)).length));
          const sent = JSON.stringify(document);
          if (iamCount(sent) > MAX_INLINE_POLICY_CHARS) expect(refusedAsTooLarge(JSON.stringify(document, null, indent))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a character above U+007F as the two bytes it is sent as, and says how it counts, with the IAM page', () => {
    const fits = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:', Resource: 'arn:aws:s3:::b/' }] }).length;
    const document = (name: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 's3:', Resource: `arn:aws:s3:::b/${name}` }],
    });
    // 10,240 characters, of which 100 are "é": 10,340 bytes.
    const accented = document(`${'é'.repeat(100)}${'a'.repeat(MAX_INLINE_POLICY_CHARS - fits - 100)}`);
    expect(JSON.stringify(accented)).toHaveLength(MAX_INLINE_POLICY_CHARS);
    const problems = loadPolicy(filesWith({ 'policies/deny.json': JSON.stringify(accented, null, 2) })).problems;
    expect(problems.map((problem) => problem.message)).toEqual([
      'inline policy "policies/deny.json" is 10,340 bytes; IAM allows 10,240 characters of inline policy per role. Switchyard counts the JSON it sends, in UTF-8 bytes, white space inside strings included: IAM\'s documentation says white space is not counted but not whether inside strings, nor how characters above U+007F count, so this check errs towards refusing, never passing, what IAM might refuse (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length)',
    ]);
    const ascii = document('a'.repeat(MAX_INLINE_POLICY_CHARS - fits));
    expect(loadPolicy(filesWith({ 'policies/deny.json': JSON.stringify(ascii, null, 2) })).problems).toEqual([]);
  });

  it('counts white space inside strings, which IAM’s documentation does not say it leaves out', () => {
    const fits = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { StringLike: { 'aws:PrincipalTag/x': '' } } }],
    }).length;
    const document = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringLike: { 'aws:PrincipalTag/x': `a${' '.repeat(MAX_INLINE_POLICY_CHARS - fits)}` } },
        },
      ],
    };
    // Without the spaces inside the string it would be 1 character; with them it is 10,241.
    expect(refusedAsTooLarge(JSON.stringify(document, null, 2))).toBe(true);
  });

  it('refuses characters IAM does not allow in a policy document, at their position', () => {
    const file = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::café-€/*" }]\n}\n';
    const problems = loadPolicy(filesWith({ 'policies/deny.json': file })).problems;
    expect(problems.map(({ file: path, line, column, message }) => `${path}:${line}:${column}: ${message}`)).toEqual([
      'policies/deny.json:3:67: Statement[0].Resource: character U+20AC is not allowed: IAM policy documents may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names)',
    ]);
  });
});
