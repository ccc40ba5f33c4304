import { describe, expect, test } from 'vitest';
import { hasChanges, policyDiff } from './policy-diff.ts';

const doc = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });
const read = { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('policyDiff', () => {
  test('a widened statement: its JSON with the added lines marked, matched by Sid', () => {
    const diffs = policyDiff(doc(read), doc({ ...read, Action: ['s3:PutObject', 's3:GetObject'] }));
    expect(diffs).toEqual([
      {
        label: 'Read',
        change: 'changed',
        lines: [
          { op: ' ', text: '{' },
          { op: ' ', text: '  "Sid": "Read",' },
          { op: ' ', text: '  "Effect": "Allow",' },
          { op: ' ', text: '  "Action": [' },
          { op: ' ', text: '    "s3:GetObject",' },
          { op: '+', text: '    "s3:PutObject"' },
          { op: ' ', text: '  ],' },
          { op: ' ', text: '  "Resource": [' },
          { op: ' ', text: '    "arn:aws:s3:::b/*"' },
          { op: ' ', text: '  ]' },
          { op: ' ', text: '}' },
        ],
      },
    ]);
  });

  test('reordered keys and values, or a string for a one-element list, are no change', () => {
    const respelled = { Resource: ['arn:aws:s3:::b/*'], Action: ['s3:GetObject'], Effect: 'Allow', Sid: 'Read' };
    const diffs = policyDiff(doc(read), doc(respelled));
    expect(diffs).toEqual([{ label: 'Read', change: 'unchanged', lines: [] }]);
    expect(hasChanges(diffs)).toBe(false);
  });

  test('statements without Sid pair by equality first, then in order; added and removed ones are all + or all -', () => {
    const deny = { Effect: 'Deny', Action: 'iam:*', Resource: '*' };
    const list = { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' };
    const diffs = policyDiff(
      doc(deny, list),
      doc({ ...list, Action: 's3:List*' }, deny, { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }),
    );
    expect(diffs.map((d) => [d.label, d.change])).toEqual([
      ['statement 1', 'changed'],
      ['statement 2', 'unchanged'],
      ['statement 3', 'added'],
    ]);
    expect(diffs[0]?.lines.filter((line) => line.op !== ' ')).toEqual([
      { op: '-', text: '    "s3:ListBucket"' },
      { op: '+', text: '    "s3:List*"' },
    ]);
    expect(diffs[2]?.lines.every((line) => line.op === '+')).toBe(true);
  });

  test('statements with different Sids are never paired: one removed, one added', () => {
    const diffs = policyDiff(doc(read), doc({ ...read, Sid: 'ReadAll', Resource: '*' }));
    expect(diffs.map((d) => [d.label, d.change])).toEqual([
      ['ReadAll', 'added'],
      ['Read', 'removed'],
    ]);
  });

  test('a new or a deleted document: every statement added or removed; the keys outside Statement only when both exist and differ', () => {
    expect(policyDiff(undefined, doc(read))).toMatchObject([{ label: 'Read', change: 'added' }]);
    expect(policyDiff(doc(read), undefined)).toMatchObject([{ label: 'Read', change: 'removed' }]);
    const versions = policyDiff({ ...doc(read), Version: '2008-10-17' }, doc(read));
    expect(versions[0]).toEqual({
      label: 'document',
      change: 'changed',
      lines: [
        { op: ' ', text: '{' },
        { op: '-', text: '  "Version": "2008-10-17"' },
        { op: '+', text: '  "Version": "2012-10-17"' },
        { op: ' ', text: '}' },
      ],
    });
  });

  test('conditions and principals are shown sorted, so only real changes are marked', () => {
    const trust = (pool: string) => ({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'],
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': pool, 'aws:RequestTag/x': 'y' } },
    });
    const [diff] = policyDiff(doc(trust('pool-a')), doc(trust('pool-b')));
    expect(diff?.lines.filter((line) => line.op !== ' ').map((line) => `${line.op}${line.text.trim()}`)).toEqual(['-"pool-a"', '+"pool-b"']);
  });
});
