/**
 * Destinations and regions of POST /federate over real HTTP, against the whole local stack (moto, the
 * reconciled demo policy, the federation stand-in): every hostile destination is refused
 * with a 400 saying why; console paths and full console URLs open where they point, in their region.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entitlement } from '../../shared/api/entitlements.ts';
import type { FederateResponse } from '../../shared/api/federate.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { apiCaller, expectError } from '../helpers/http-api.ts';

let stack: LocalStack;
let alice: SessionResponse;
let sandboxDeveloper: Entitlement;
const { call, signIn } = apiCaller(() => stack.apiUrl);

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  alice = await signIn('alice', 'alice-demo-password');
  const found = alice.entitlements.find((e) => e.accountName === 'sandbox' && e.permissionSet === 'Developer');
  if (!found) throw new Error('the demo policy no longer gives alice Developer on sandbox');
  sandboxDeveloper = found;
});

afterAll(async () => {
  await stack?.stop();
});

function federate(fields: { region?: string; destination?: string }) {
  return call('/federate', {
    method: 'POST',
    token: alice.token,
    json: { accountId: sandboxDeveloper.accountId, permissionSet: 'Developer', ...fields },
  });
}

/** Where the sign-in URL lands: the Destination the federation stand-in was given. */
async function landing(fields: { region?: string; destination?: string }): Promise<string> {
  const response = await federate(fields);
  expect(response.status, response.text).toBe(200);
  const login = new URL((response.body as FederateResponse).url);
  expect(`${login.origin}${login.pathname}`).toBe(stack.federationUrl);
  const page = await (await fetch(login)).text();
  const destination = /data-field="destination">([^<]*)</.exec(page)?.[1] ?? '';
  return destination.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe('hostile destinations are refused with a 400 that says why', () => {
  it.each([
    ['a protocol-relative host', '//evil.example.com/', /start it with \/ for a console path or https:\/\//],
    ['a backslash that browsers read as a slash', '/\\evil.example.com/x', /backslashes are not allowed/],
    ['a protocol-relative loopback address', '//127.0.0.1:1/x', /start it with \/ for a console path/],
    [
      "AWS's own logout redirect",
      '//signin.aws.amazon.com/federation?Action=logout&redirect_uri=https://evil.example.com/',
      /start it with \/ for a console path/,
    ],
    [
      'the sign-in host as a full URL',
      'https://signin.aws.amazon.com/oauth?Action=logout&redirect_uri=https://evil.example.com/',
      /signin\.aws\.amazon\.com is not an AWS console host of this deployment \(aws\)/,
    ],
    ['a look-alike host', 'https://console.aws.amazon.com.evil.com/ec2/home', /console\.aws\.amazon\.com\.evil\.com is not an AWS console host/],
    ['the console host as a user name', 'https://console.aws.amazon.com@evil.example.com/', /a user name or password in the URL is not allowed/],
    ['a user name and password on the console host', 'https://user:secret@console.aws.amazon.com/', /a user name or password/],
    ['plain http', 'http://console.aws.amazon.com/ec2/home', /only https console URLs are accepted/],
    ['encoded slashes that decode to another host', '/%2F%2Fevil.example.com/', /its encoded characters decode to another host/],
    ['an encoded backslash', '/%5Cevil.example.com/', /its encoded characters decode to another host/],
    ['a percent-encoded host', 'https://console.aws.amazon.com%2Eevil.com/', /percent-encoded characters in the host are not allowed/],
    ['javascript:', 'javascript:alert(document.cookie)', /start it with \/ for a console path or https:\/\//],
    ['data:', 'data:text/html,<script>alert(1)</script>', /start it with \/ for a console path or https:\/\//],
    ['leading white space', ' /ec2/home', /remove the white space before or after it/],
    ['trailing white space', '/ec2/home ', /remove the white space before or after it/],
    ['a tab inside', '/\t/evil.example.com/', /white space and control characters are not allowed inside it/],
    ['a port', 'https://console.aws.amazon.com:8443/ec2/home', /a port in the URL is not allowed/],
    [
      'the console of another partition',
      'https://console.amazonaws.cn/ec2/home',
      /console\.amazonaws\.cn is the console of aws-cn; this Switchyard deployment serves aws/,
    ],
  ])('%s: %s', async (_name, destination, message) => {
    const error = expectError(await federate({ destination }), 400, 'bad_request');
    expect(error).toMatch(/^destination: /);
    expect(error).toMatch(message);
  });
});

describe('regions are checked against the deployment partition and never silently replaced', () => {
  it('refuses a region of another partition', async () => {
    const error = expectError(await federate({ region: 'cn-north-1' }), 400, 'bad_request');
    expect(error).toBe('region: cn-north-1 belongs to aws-cn; this Switchyard deployment serves aws (an organization lives in one partition)');
  });

  it('refuses a region of a partition Switchyard does not support', async () => {
    const error = expectError(await federate({ region: 'us-iso-east-1' }), 400, 'bad_request');
    expect(error).toMatch(/us-iso-east-1 belongs to aws-iso, a partition Switchyard does not serve/);
  });

  it('refuses a name that is no AWS region, whatever its shape, and opens an unlisted region whose name fits aws', async () => {
    const error = expectError(await federate({ region: 'xx-south-1' }), 400, 'bad_request');
    expect(error).toMatch(/region must be an AWS region name such as eu-west-1/);
    expect(await landing({ region: 'ap-southeast-123', destination: '/ec2/home' })).toBe(
      'https://console.aws.amazon.com/ec2/home?region=ap-southeast-123',
    );
  });

  it('refuses a request region that disagrees with the destination region', async () => {
    const error = expectError(
      await federate({ region: 'us-east-1', destination: 'https://eu-west-1.console.aws.amazon.com/ec2/home' }),
      400,
      'bad_request',
    );
    expect(error).toBe('region: the request says us-east-1 but the destination is in eu-west-1; leave region out or make them agree');
  });
});

describe('destinations people paste open where they point', () => {
  it('a full console URL from the address bar, region and fragment kept', async () => {
    const destination = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';
    expect(await landing({ destination })).toBe(destination);
  });

  it('a regional console URL without region= keeps its host region', async () => {
    expect(await landing({ destination: 'https://ap-southeast-2.console.aws.amazon.com/lambda/home' })).toBe(
      'https://ap-southeast-2.console.aws.amazon.com/lambda/home',
    );
  });

  it('the same URL with the matching region in the request', async () => {
    const destination = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';
    expect(await landing({ destination, region: 'eu-west-1' })).toBe(destination);
  });

  it('a link copied from a multi-session console opens in the new session, same region', async () => {
    expect(await landing({ destination: 'https://111111111111-abcd1234.eu-central-1.console.aws.amazon.com/s3/buckets?region=eu-central-1' })).toBe(
      'https://eu-central-1.console.aws.amazon.com/s3/buckets?region=eu-central-1',
    );
  });

  it('the S3 console host', async () => {
    expect(await landing({ destination: 'https://s3.console.aws.amazon.com/s3/buckets/logs?prefix=2024%2F' })).toBe(
      `https://s3.console.aws.amazon.com/s3/buckets/logs?prefix=2024%2F&region=${sandboxDeveloper.regions[0]}`,
    );
  });

  it('a console path in the requested region', async () => {
    expect(await landing({ destination: '/cloudwatch/home#logsV2:log-groups$3FlogGroupNameFilter$3D$252Faws', region: 'eu-west-1' })).toBe(
      'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups$3FlogGroupNameFilter$3D$252Faws',
    );
  });

  it("no destination: the console home in the account's first region", async () => {
    expect(await landing({})).toBe(`https://console.aws.amazon.com/console/home?region=${sandboxDeveloper.regions[0]}`);
  });
});
