/**
 * What each Lambda bundle carries, read from esbuild's metafile after tree-shaking: the reconcile
 * Lambda carries none of the API's code (sign-in, sessions, the console broker) and none of its SDK
 * clients, and the API carries none of the reconciler's. Code a function never runs is code its role
 * might be asked to grant for, and cold-start time for nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledInputs, bundleHandler } from '../../backend/deploy/bundle.ts';

const ownFolders = (inputs: string[]) => [...new Set(inputs.filter((path) => path.startsWith('backend/')).map((path) => path.split('/')[1]))].sort();
const sdkPackages = (inputs: string[]) =>
  [...new Set(inputs.flatMap((path) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(path)?.[1] ?? []))].sort();

let inputs: Record<string, string[]>;

beforeAll(async () => {
  inputs = {};
  for (const name of ['api', 'reconciler', 'access-report']) inputs[name] = bundledInputs(await bundleHandler(name));
}, 120_000);

describe('Lambda bundles carry only their own code', () => {
  it('the reconcile bundle has no API, sign-in or broker code and no Cognito client', () => {
    const reconcile = inputs['reconciler'] ?? [];
    // The one file of auth/ it carries is the cached secret reader, for elevation's webhook URL.
    expect(reconcile.filter((path) => /^backend\/(api|auth|broker|http)\//.test(path) && path !== 'backend/auth/secret-values.ts')).toEqual([]);
    // DynamoDB, SNS and Secrets Manager: elevation's grants, which a push can end, and their notifications.
    // SQS (and DynamoDB again): a run over more accounts than one batch puts them on its queue.
    expect(sdkPackages(reconcile)).toEqual([
      'client-dynamodb',
      'client-iam',
      'client-organizations',
      'client-s3',
      'client-secrets-manager',
      'client-sns',
      'client-sqs',
      'client-sts',
    ]);
  });

  it('the API bundle has no reconciler code and no IAM or Organizations client', () => {
    const api = inputs.api ?? [];
    expect(api.filter((path) => /^backend\/(reconcile|cli|local)\//.test(path))).toEqual([]);
    expect(sdkPackages(api)).not.toContain('client-iam');
    expect(sdkPackages(api)).not.toContain('client-organizations');
    // The API reads the published policy and writes one thing, a revoked grant's request for a reconcile
    // run; no listing or deleting; what it shares with other instances is in the state table (CreateSession
    // is the S3 client's own, for S3 Express directory buckets; the policy bucket is not one).
    const s3Commands = api.filter((path) => /client-s3\/dist-es\/commands\//.test(path)).map((path) => path.split('/').pop());
    expect(s3Commands.sort()).toEqual(['CreateSessionCommand.js', 'GetObjectCommand.js', 'PutObjectCommand.js']);
    expect(ownFolders(api)).toContain('api');
  });

  it('the access report bundle has no API, broker or reconcile code, and S3 only reads and writes objects', () => {
    const report = inputs['access-report'] ?? [];
    expect(report.filter((path) => /^backend\/(api|broker|reconcile|cli|local|elevation)\//.test(path))).toEqual([]);
    expect(sdkPackages(report)).not.toContain('client-iam');
    const s3Commands = report.filter((path) => /client-s3\/dist-es\/commands\//.test(path)).map((path) => path.split('/').pop());
    expect(s3Commands.sort()).toEqual(['CreateSessionCommand.js', 'GetObjectCommand.js', 'PutObjectCommand.js']);
  });

  it('SDK clients are tree-shaken: their ES module build, one file per command sent', () => {
    for (const [name, files] of Object.entries(inputs)) {
      expect(
        files.some((path) => path.includes('/@aws-sdk/client-') && path.includes('/dist-cjs/')),
        name,
      ).toBe(false);
      const s3Commands = files.filter((path) => /client-s3\/dist-es\/commands\//.test(path));
      // client-s3 has over a hundred commands; the policy bucket adapter sends six.
      expect(s3Commands.length, name).toBeLessThan(10);
    }
  });
});
