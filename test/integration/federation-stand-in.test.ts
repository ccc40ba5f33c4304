/**
 * The LOCAL STAND-IN for the AWS federation endpoint refuses what AWS documents it refuses: a Session
 * without the three temporary-credential fields, long-term keys, a SessionDuration outside 900..43200 or
 * with GetFederationToken credentials, a sign-in token older than 15 minutes, and a login whose Destination
 * is not a console page of the partition. Real HTTP, credentials from moto's STS. It cannot tell role-chained
 * credentials from others (nothing in STS's answers says so), so that refusal is left to `switchyard doctor`.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIamClient, createStsClient } from '../../backend/aws/clients.ts';
import { startFederationStandIn } from '../../backend/local/federation-stand-in.ts';
import { startMoto, type MotoServer } from '../../backend/local/moto.ts';

let moto: MotoServer;
let standIn: Awaited<ReturnType<typeof startFederationStandIn>>;
let clock = Date.now();
let web: { sessionId: string; sessionKey: string; sessionToken: string };

beforeAll(async () => {
  moto = await startMoto();
  standIn = await startFederationStandIn(moto.settings, { now: () => clock });
  const assumed = await createStsClient(moto.settings).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: 'arn:aws:iam::111111111111:role/switchyard/Switchyard-ReadOnly',
      RoleSessionName: 'alice@corp.example.com+aaaaaaaaaaaa',
      WebIdentityToken: 'token',
      DurationSeconds: 3600,
    }),
  );
  web = {
    sessionId: assumed.Credentials?.AccessKeyId ?? '',
    sessionKey: assumed.Credentials?.SecretAccessKey ?? '',
    sessionToken: assumed.Credentials?.SessionToken ?? '',
  };
});

afterAll(async () => {
  await standIn?.close();
  await moto?.stop();
});

async function getSigninToken(params: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(standIn.federationEndpoint);
  url.searchParams.set('Action', 'getSigninToken');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

async function signinToken(sessionDuration = '3600'): Promise<string> {
  const answer = await getSigninToken({ Session: JSON.stringify(web), SessionDuration: sessionDuration });
  expect(answer.status, answer.text).toBe(200);
  return (JSON.parse(answer.text) as { SigninToken: string }).SigninToken;
}

async function login(token: string, destination?: string): Promise<{ status: number; text: string }> {
  const url = new URL(standIn.federationEndpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', 'Switchyard');
  if (destination !== undefined) url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', token);
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('getSigninToken', () => {
  it('gives a sign-in token for web-identity credentials with a session length of up to 12 hours', async () => {
    const token = await signinToken('43200');
    const page = await login(token, 'https://eu-west-1.console.aws.amazon.com/ec2/home');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-field="duration">12 h<');
    expect(page.text).toContain('data-field="person">alice@corp.example.com+aaaaaaaaaaaa<');
  });

  it.each([
    ['no Session', {}, /Session is required/],
    ['a Session that is not JSON', { Session: '{sessionId:' }, /Session must be a JSON object/],
    [
      'a Session without sessionToken (long-term keys)',
      { Session: JSON.stringify({ sessionId: 'AKIAEXAMPLE', sessionKey: 'secret' }) },
      /Session must hold sessionId, sessionKey and sessionToken/,
    ],
    [
      'a Session with a number for a field',
      { Session: JSON.stringify({ sessionId: 1, sessionKey: 'k', sessionToken: 't' }) },
      /Session must hold sessionId, sessionKey and sessionToken/,
    ],
    [
      'credentials STS does not know',
      { Session: JSON.stringify({ sessionId: 'ASIAUNKNOWN', sessionKey: 'k', sessionToken: 't' }) },
      /not temporary credentials of a role or federated user/,
    ],
  ])('refuses %s', async (_name, params, message) => {
    const answer = await getSigninToken(params);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(message);
  });

  it.each(['899', '43201', '3600.5', 'an hour', '-900'])('refuses SessionDuration=%s', async (duration) => {
    const answer = await getSigninToken({ Session: JSON.stringify(web), SessionDuration: duration });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/SessionDuration must be a whole number of seconds from 900 to 43200/);
  });

  it('refuses long-term keys of an IAM user', async () => {
    const iam = createIamClient(moto.settings);
    await iam.send(new CreateUserCommand({ UserName: 'broker' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'broker' }))).AccessKey;
    const answer = await getSigninToken({
      Session: JSON.stringify({ sessionId: key?.AccessKeyId, sessionKey: key?.SecretAccessKey, sessionToken: 'none' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/not temporary credentials of a role or federated user/);
  });

  it('refuses SessionDuration with GetFederationToken credentials, and takes them without it', async () => {
    // moto answers GetFederationToken with fixed example keys it cannot attribute afterwards, so this rule is
    // checked against an STS that says what real STS says for such keys: a federated-user ARN.
    const sts = createServer((request, response) => {
      request.resume();
      request.on('end', () =>
        response
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
              '<Arn>arn:aws:sts::111111111111:federated-user/alice</Arn><UserId>111111111111:alice</UserId><Account>111111111111</Account>' +
              '</GetCallerIdentityResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          ),
      );
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    const federatedStandIn = await startFederationStandIn({ ...moto.settings, endpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}` });
    try {
      const url = (params: Record<string, string>) => {
        const target = new URL(federatedStandIn.federationEndpoint);
        for (const [name, value] of Object.entries({ Action: 'getSigninToken', Session: JSON.stringify(web), ...params }))
          target.searchParams.set(name, value);
        return target;
      };
      const refused = await fetch(url({ SessionDuration: '3600' }));
      expect(refused.status).toBe(400);
      expect(await refused.text()).toMatch(/SessionDuration cannot be used with GetFederationToken credentials/);
      expect((await fetch(url({}))).status).toBe(200);
    } finally {
      await federatedStandIn.close();
      await new Promise<void>((resolve) => sts.close(() => resolve()));
    }
  });
});

describe('login', () => {
  it('refuses a sign-in token older than 15 minutes', async () => {
    const token = await signinToken();
    clock += 15 * 60_000 + 1;
    try {
      const page = await login(token, 'https://console.aws.amazon.com/');
      expect(page.status).toBe(400);
      expect(page.text).toMatch(/sign-in token is invalid or expired/);
    } finally {
      clock = Date.now();
    }
  });

  it.each([
    ['another host', 'https://evil.example.com/'],
    ['a look-alike', 'https://console.aws.amazon.com.evil.com/'],
    ['the sign-in host', 'https://signin.aws.amazon.com/oauth?Action=logout&redirect_uri=https://evil.example.com/'],
    ['plain http', 'http://console.aws.amazon.com/'],
    ['another partition', 'https://console.amazonaws.cn/'],
    ['javascript:', 'javascript:alert(1)'],
  ])('refuses a Destination on %s', async (_name, destination) => {
    const page = await login(await signinToken(), destination);
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/Destination must be a console page of aws/);
  });

  it('refuses an unknown token and an unknown action', async () => {
    expect((await login('not-a-token', 'https://console.aws.amazon.com/')).status).toBe(400);
    const answer = await fetch(`${standIn.federationEndpoint}?Action=getSigninTokens`);
    expect(answer.status).toBe(400);
  });
});

/** One HTTP request as a browser would make it: its cookie, no redirect followed; `host` for a session host (not in DNS here). */
function browserGet(url: URL, cookie = '', host?: string): Promise<{ status: number; text: string; location?: string; setCookie?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { hostname: '127.0.0.1', port: url.port, path: `${url.pathname}${url.search}`, headers: { cookie, ...(host ? { host } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text,
            ...(response.headers.location ? { location: response.headers.location } : {}),
            ...(response.headers['set-cookie'] ? { setCookie: response.headers['set-cookie'][0]?.split(';')[0] } : {}),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function webIdentity(role: string): Promise<typeof web> {
  const assumed = await createStsClient(moto.settings).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::111111111111:role/switchyard/Switchyard-${role}`,
      RoleSessionName: 'alice@corp.example.com+bbbbbbbbbbbb',
      WebIdentityToken: 'token',
    }),
  );
  return {
    sessionId: assumed.Credentials?.AccessKeyId ?? '',
    sessionKey: assumed.Credentials?.SecretAccessKey ?? '',
    sessionToken: assumed.Credentials?.SessionToken ?? '',
  };
}

async function loginUrl(
  credentials: typeof web,
  destination = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:',
): Promise<URL> {
  const answer = await getSigninToken({ Session: JSON.stringify(credentials) });
  const url = new URL(standIn.federationEndpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', (JSON.parse(answer.text) as { SigninToken: string }).SigninToken);
  return url;
}

function logoutUrl(redirect: URL): URL {
  const url = new URL('/oauth', standIn.federationEndpoint);
  url.searchParams.set('Action', 'logout');
  url.searchParams.set('redirect_uri', redirect.href);
  return url;
}

describe('the console session modes', () => {
  it('single-session: a second role waits behind "sign out first" until the logout ends the first', async () => {
    standIn.setConsoleMode('single-session');
    const first = await browserGet(await loginUrl(await webIdentity('ReadOnly')));
    expect(first.status).toBe(200);
    expect(first.text).toContain('data-field="role">Switchyard-ReadOnly<');
    const cookie = first.setCookie ?? '';
    expect(cookie).toMatch(/^standin-console-sessions=[a-z0-9]{8}$/);

    const second = await loginUrl(await webIdentity('Developer'));
    const blocked = await browserGet(second, cookie);
    expect(blocked.text).toContain('data-field="sign-out-first"');
    expect(blocked.text).not.toContain('data-field="role"');

    const bounced = await browserGet(logoutUrl(second), cookie);
    expect(bounced).toMatchObject({ status: 302, location: second.href, setCookie: 'standin-console-sessions=' });
    const signedIn = await browserGet(second, '');
    expect(signedIn.text).toContain('data-field="role">Switchyard-Developer<');
  });

  it('multi-session: a login adds a session on its own host, five at most, and the logout answers 400', async () => {
    standIn.setConsoleMode('multi-session');
    try {
      const port = new URL(standIn.federationEndpoint).port;
      let cookie = '';
      const hosts: string[] = [];
      for (const role of ['R1', 'R2', 'R3', 'R4', 'R5']) {
        const added = await browserGet(await loginUrl(await webIdentity(role)), cookie);
        expect(added.status).toBe(302);
        const landed = new URL(added.location ?? '');
        expect(landed.host).toMatch(new RegExp(`^111111111111-[a-z0-9]{8}\\.eu-west-1\\.console\\.localhost:${port}$`));
        expect(`${landed.pathname}${landed.search}${landed.hash}`).toBe('/ec2/home?region=eu-west-1#Instances:');
        const page = await browserGet(landed, '', landed.host);
        expect(page.text).toContain(`data-field="role">Switchyard-${role}<`);
        hosts.push(landed.host);
        cookie = added.setCookie ?? '';
      }
      expect(new Set(hosts).size).toBe(5);

      // The same role again: its session, not a sixth.
      const again = await browserGet(await loginUrl(await webIdentity('R3')), cookie);
      expect(new URL(again.location ?? '').host).toBe(hosts[2]);

      const sixth = await browserGet(await loginUrl(await webIdentity('R6')), cookie);
      expect(sixth.status).toBe(400);
      expect(sixth.text).toContain('already holds 5 console sessions');

      const logout = await browserGet(logoutUrl(await loginUrl(await webIdentity('R6'))), cookie);
      expect(logout.status).toBe(400);

      const unknown = await browserGet(
        new URL(`http://127.0.0.1:${port}/console/home`),
        '',
        `111111111111-zzzzzzzz.eu-west-1.console.localhost:${port}`,
      );
      expect(unknown.status).toBe(404);
    } finally {
      standIn.setConsoleMode('single-session');
    }
  });
});
