/**
 * Elevation's notifications against real parts: every change of a request is published to an SNS topic in
 * moto (read back through an SQS queue subscribed to it) as structured JSON, and posted as a Slack-compatible
 * message to a webhook on loopback whose URL is a secret in moto's Secrets Manager. A webhook that fails does
 * not fail the request, and its URL is never logged.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../shared/api/routes.ts';
import type { SessionResponse } from '../../shared/api/session.ts';
import { makeApiApp } from '../../backend/api/app.ts';
import { assembleApi } from '../../backend/assemble/api.ts';
import { createSecretsManagerClient, createSnsClient } from '../../backend/aws/clients.ts';
import { apiConfig } from '../../backend/config/config.ts';
import type { ElevationNotification } from '../../backend/elevation/notifications.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { serveApi } from '../../backend/local/serve-api.ts';
import type { RunningServer } from '../../backend/local/loopback.ts';
import { apiCaller } from '../helpers/http-api.ts';
import { recordingLogger } from '../helpers/recording-logger.ts';

let stack: LocalStack;
let api: RunningServer;
let receiver: Server;
let sqs: SQSClient;
let queueUrl: string;
let webhookStatus = 200;
const posted: { path: string | undefined; contentType: string | undefined; body: unknown }[] = [];
const logger = recordingLogger('switchyard-api', 'SILENT');
const { call, signIn } = apiCaller(() => api.url);
let webhookUrl: string;

beforeAll(async () => {
  stack = await startLocalStack({ apiPort: 0 });
  const settings = stack.moto.settings;
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      posted.push({ path: request.url, contentType: request.headers['content-type'], body: JSON.parse(text) as unknown });
      response.writeHead(webhookStatus, webhookStatus === 307 ? { location: '/elsewhere' } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/T000/B000/secret-part`;

  const { TopicArn } = await createSnsClient(settings).send(new CreateTopicCommand({ Name: 'switchyard-requests' }));
  sqs = new SQSClient({ region: settings.region, endpoint: settings.endpoint, credentials: settings.credentials });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'requests-subscriber' }))).QueueUrl ?? '';
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await createSnsClient(settings).send(
    new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn, Attributes: { RawMessageDelivery: 'true' } }),
  );
  const { ARN } = await createSecretsManagerClient(settings).send(
    new CreateSecretCommand({ Name: 'switchyard/requests-webhook', SecretString: webhookUrl }),
  );

  const deps = await assembleApi(apiConfig({ ...stack.env, SWITCHYARD_REQUESTS_TOPIC_ARN: TopicArn, SWITCHYARD_REQUESTS_WEBHOOK_SECRET_ARN: ARN }), {
    credentials: settings.credentials,
    logger,
    reconcileNow: async () => undefined,
  });
  api = await serveApi(makeApiApp(deps), 0);
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await stack?.stop();
});

async function received(count: number): Promise<ElevationNotification[]> {
  const messages: ElevationNotification[] = [];
  const deadline = Date.now() + 15_000;
  while (messages.length < count && Date.now() < deadline) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    messages.push(...(Messages ?? []).map((message) => JSON.parse(message.Body ?? '{}') as ElevationNotification));
  }
  return messages;
}

describe('notifications of every change', () => {
  let bob: SessionResponse;
  let alice: SessionResponse;

  it('publish structured JSON to the requests topic, and a chat message to the webhook, escaped', async () => {
    [bob, alice] = await Promise.all([signIn('bob', 'bob-demo-password'), signIn('alice', 'alice-demo-password')]);
    const pair = bob.entitlements.find((entitlement) => entitlement.eligible)!;
    const justification = 'OPS-9 <https://evil.example|click here> & <!channel>';
    const created = API_ROUTES.requestCreate.response.parse(
      (
        await call('/requests', {
          method: 'POST',
          token: bob.token,
          json: { accountId: pair.accountId, permissionSet: pair.permissionSet, justification },
        })
      ).body,
    );
    await call(`/requests/${created.id}/approve`, { method: 'POST', token: alice.token, json: { reason: 'looks right' } });

    const messages = await received(2);
    expect(messages.map((message) => [message.change, message.actor?.id, message.request.id, message.request.state])).toEqual([
      ['requested', 'bob@corp.example.com', created.id, 'pending'],
      ['granted', 'alice@corp.example.com', created.id, 'active'],
    ]);
    expect(messages[0]).toMatchObject({
      source: 'switchyard',
      type: 'elevation',
      request: {
        accountId: pair.accountId,
        permissionSet: pair.permissionSet,
        justification,
        durationSeconds: 3600,
        requester: { id: 'bob@corp.example.com' },
      },
    });
    expect(API_ROUTES.requestGet.response.parse(messages[1]?.request)).toEqual(messages[1]?.request);

    expect(posted).toHaveLength(2);
    expect(posted[0]?.contentType).toBe('application/json');
    const [asked, granted] = posted.map((post) => (post.body as { text: string }).text);
    expect(Object.keys(posted[0]?.body as object)).toEqual(['text']);
    expect(asked).toContain('Bob Auditor asks for *Developer* in *payments-prod*');
    expect(asked).toContain('OPS-9 &lt;https://evil.example|click here&gt; &amp; &lt;!channel&gt;');
    expect(asked).not.toContain('<https://evil.example');
    expect(granted).toMatch(
      /^Alice Admin approved: Bob Auditor has \*Developer\* in \*payments-prod\* \(\d{12}\) until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(request [a-z2-7]{16}\)$/,
    );
  });

  it('a failing webhook does not fail the change, and the failure is logged without the URL', async () => {
    webhookStatus = 500;
    const list = API_ROUTES.requestsMine.response.parse((await call('/requests', { token: bob.token })).body);
    const revoked = await call(`/requests/${list.requests[0]?.id}/revoke`, { method: 'POST', token: bob.token, json: { reason: 'done' } });
    expect(revoked.status).toBe(200);
    expect((await received(1)).map((message) => message.change)).toEqual(['revoked']);
    const failure = logger.entries.find((entry) => entry.message === 'elevation notification failed');
    expect(failure?.fields).toMatchObject({ channel: 'webhook', change: 'revoked', reason: 'the webhook answered HTTP 500' });
    expect(logger.text()).not.toContain('secret-part');
  });

  it('a webhook that redirects is a failure: the message goes only where the secret says', async () => {
    webhookStatus = 307;
    const before = posted.length;
    const pair = bob.entitlements.find((entitlement) => entitlement.eligible)!;
    const created = await call('/requests', {
      method: 'POST',
      token: bob.token,
      json: { accountId: pair.accountId, permissionSet: pair.permissionSet, justification: 'OPS-10' },
    });
    expect(created.status).toBe(201);
    expect((await received(1)).map((message) => message.change)).toEqual(['requested']);
    expect(posted.slice(before).map((post) => post.path)).toEqual(['/hooks/T000/B000/secret-part']);
    const failures = logger.entries.filter((entry) => entry.message === 'elevation notification failed' && entry.fields.change === 'requested');
    expect(failures).toHaveLength(1);
    expect(logger.text()).not.toContain('secret-part');
  });
});
