/** The broker with its AWS clients answered by a middleware (no AWS here) and a real loopback federation endpoint. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoIdentityClient, createStsClient } from '../aws/clients.ts';
import { AwsCallRecorder } from '../../test/helpers/aws-call-recorder.ts';
import { recordingLogger } from '../../test/helpers/recording-logger.ts';
import { makeWebIdentityBroker } from './web-identity-broker.ts';

let server: Server;
let endpoint = '';
const seen: URL[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(new URL(request.url ?? '/', 'http://localhost'));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: 'signin-token' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/federation`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function broker() {
  const recorder = new AwsCallRecorder((call) =>
    call.operation === 'GetOpenIdTokenForDeveloperIdentity'
      ? { Token: 'openid-token', IdentityId: 'us-gov-west-1:11111111-2222-3333-4444-555555555555' }
      : { Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() } },
  );
  const settings = { region: 'us-gov-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 6 };
  const logger = recordingLogger('switchyard-test', 'SILENT');
  const consoleBroker = makeWebIdentityBroker({
    cognitoIdentity: recorder.attach(createCognitoIdentityClient(settings), 'api'),
    sts: recorder.attach(createStsClient(settings), 'api'),
    identityPoolId: 'us-gov-west-1:00000000-0000-0000-0000-000000000000',
    developerProviderName: 'login.example.com',
    partition: 'aws-us-gov',
    federationEndpoint: endpoint,
    federationIsAws: false,
    issuer: 'Switchyard',
    logger,
  });
  return { consoleBroker, recorder, logger };
}

const request = (userId: string, requestId: string) => ({
  user: { id: userId, displayName: userId, groups: [] },
  accountId: '123456789012',
  permissionSet: 'ReadOnly',
  sessionDurationSeconds: 43200,
  destinationUrl: 'https://us-gov-west-1.console.amazonaws-us-gov.com/ec2/home',
  requestId,
});

describe('the web identity broker', () => {
  it("maps an id STS would refuse, the same way each time, logs the mapping once, and uses the partition's ARNs", async () => {
    const { consoleBroker, recorder, logger } = broker();
    const first = await consoleBroker.signIn(request('CORP\\Jürgen Müller', 'aaaaaaaaaaaa'));
    const second = await consoleBroker.signIn(request('CORP\\Jürgen Müller', 'bbbbbbbbbbbb'));
    expect(first.sessionName).toMatch(/^CORP_J_rgen_M_ller-[0-9a-f]{8}\+aaaaaaaaaaaa$/);
    expect(second.sessionName).toBe(first.sessionName.replace('aaaaaaaaaaaa', 'bbbbbbbbbbbb'));
    expect(logger.entries.filter((entry) => entry.message === 'session name mapped')).toEqual([
      { level: 'info', message: 'session name mapped', fields: { user: 'CORP\\Jürgen Müller', sessionNamePerson: first.sessionName.split('+')[0] } },
    ]);
    const [openId, assume] = recorder.calls;
    expect(openId?.input.PrincipalTags).toEqual({ 'switchyard:target': '123456789012:ReadOnly', 'switchyard:user': first.sessionName.split('+')[0] });
    expect(assume?.input).toMatchObject({
      RoleArn: 'arn:aws-us-gov:iam::123456789012:role/switchyard/Switchyard-ReadOnly',
      DurationSeconds: 43200,
      WebIdentityToken: 'openid-token',
    });
    expect(seen.at(-1)?.searchParams.get('SessionDuration')).toBe('43200');
    expect(first.webIdentity).toBe('us-gov-west-1:11111111-2222-3333-4444-555555555555');
    expect(first.upstreamMs).toBeGreaterThan(0);
  });

  it('keeps a safe id as it is and logs nothing about it', async () => {
    const { consoleBroker, logger } = broker();
    expect((await consoleBroker.signIn(request('alice@corp.example.com', 'cccccccccccc'))).sessionName).toBe('alice@corp.example.com+cccccccccccc');
    expect(logger.entries).toEqual([]);
  });
});
