import { describe, expect, test } from 'vitest';
import { decodePolicyDocument, normalizePolicyDocument, samePolicyDocument } from './policy-document.ts';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] };

describe('decodePolicyDocument', () => {
  test('reads plain and URL-encoded JSON alike', () => {
    expect(decodePolicyDocument(JSON.stringify(doc))).toEqual(doc);
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
  });

  test('keeps a literal percent sign in plain JSON', () => {
    const withPercent = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/100%' }] };
    expect(decodePolicyDocument(JSON.stringify(withPercent))).toEqual(withPercent);
  });

  test('rejects what is not a JSON object', () => {
    expect(() => decodePolicyDocument('[1]')).toThrow(/not a JSON object/);
  });
});

describe('samePolicyDocument', () => {
  test('ignores key order, action order, single-value lists and statement order', () => {
    const reshaped = { Statement: { Resource: ['*'], Action: ['s3:ListBucket', 's3:GetObject'], Effect: 'Allow' }, Version: '2012-10-17' };
    expect(samePolicyDocument(doc, reshaped)).toBe(true);
    const two = (a: string, b: string) => ({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: a, Resource: '*' },
        { Effect: 'Deny', Action: b, Resource: '*' },
      ],
    });
    expect(
      samePolicyDocument(two('a:x', 'b:y'), { ...two('a:x', 'b:y'), Statement: [...(two('a:x', 'b:y').Statement as unknown[])].reverse() }),
    ).toBe(true);
  });

  test('sees real differences: effect, action, condition value, principal', () => {
    const variant = (patch: Record<string, unknown>) => ({ ...doc, Statement: [{ ...doc.Statement[0], ...patch }] });
    expect(samePolicyDocument(doc, variant({ Effect: 'Deny' }))).toBe(false);
    expect(samePolicyDocument(doc, variant({ Action: 's3:GetObject' }))).toBe(false);
    const conditioned = variant({ Condition: { StringEquals: { 'aws:RequestTag/x': 'a' } } });
    expect(samePolicyDocument(conditioned, variant({ Condition: { StringEquals: { 'aws:RequestTag/x': ['a'] } } }))).toBe(true);
    expect(samePolicyDocument(conditioned, variant({ Condition: { StringEquals: { 'aws:RequestTag/x': 'b' } } }))).toBe(false);
    expect(samePolicyDocument(variant({ Principal: { Federated: 'a' } }), variant({ Principal: { Federated: 'b' } }))).toBe(false);
  });

  test('an absent document equals only an absent one', () => {
    expect(samePolicyDocument(undefined, undefined)).toBe(true);
    expect(samePolicyDocument(doc, undefined)).toBe(false);
  });
});

describe('documents with a "__proto__" key (as JSON.parse keeps it, e.g. from IAM)', () => {
  test('the key is data: it is compared, and never becomes a prototype', () => {
    const withProto = JSON.parse('{"Version": "2012-10-17", "Statement": [], "__proto__": {"Effect": "Allow"}}') as Record<string, unknown>;
    const without = { Version: '2012-10-17', Statement: [] };
    expect(samePolicyDocument(withProto, without)).toBe(false);
    expect(samePolicyDocument(withProto, JSON.parse(JSON.stringify(withProto)) as Record<string, unknown>)).toBe(true);
    const normalized = normalizePolicyDocument(withProto) as object;
    expect(Object.getPrototypeOf(normalized)).toBe(Object.prototype);
    expect(JSON.stringify(normalized)).toContain('"__proto__"');
  });
});
