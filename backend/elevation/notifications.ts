/**
 * Elevation's notifications (docs/elevation.md, "Notifications"): every change of a request is published to
 * the requests topic (SNS) as structured JSON, and, when a webhook URL is configured (a secret in Secrets
 * Manager), posted there as a Slack-compatible message. Both are best effort: a failure is logged, never
 * turned into a failed request; the audit log has every change whatever happens here.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { RequestView } from '../../shared/api/requests.ts';
import { requestView } from '../../shared/elevation/request-view.ts';
import type { PersonRef } from '../../shared/elevation/request.ts';
import { describeSeconds } from '../../shared/policy/duration.ts';
import { errorText } from '../../shared/error-text.ts';
import type { SecretText } from '../auth/secret-values.ts';
import type { AppLogger } from '../logging.ts';
import { auditLog } from './audit-log.ts';
import type { ElevationChange, ElevationEvent, ElevationEvents } from './events.ts';

/** The JSON message of a change: what a subscriber (a queue, a Lambda, a chat bridge) reads. */
export interface ElevationNotification {
  source: 'switchyard';
  type: 'elevation';
  change: ElevationChange;
  at: string;
  /** Who made the change; null when Switchyard did (time passing, a push that ended eligibility). */
  actor: PersonRef | null;
  /** The request after the change, as the API shows it. */
  request: RequestView;
}

export function notificationOf(event: ElevationEvent): ElevationNotification {
  return {
    source: 'switchyard',
    type: 'elevation',
    change: event.change,
    at: event.at,
    actor: event.actor ? { id: event.actor.id, displayName: event.actor.displayName } : null,
    request: requestView(event.request, Date.parse(event.at)),
  };
}

export interface Notifier {
  readonly channel: 'sns' | 'webhook';
  send(event: ElevationEvent): Promise<void>;
}

export function snsNotifier(client: SNSClient, topicArn: string): Notifier {
  return {
    channel: 'sns',
    async send(event) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(notificationOf(event)),
          // Subscribers can filter on these without reading the message.
          MessageAttributes: {
            change: { DataType: 'String', StringValue: event.change },
            accountId: { DataType: 'String', StringValue: event.request.accountId },
          },
        }),
      );
    },
  };
}

const WEBHOOK_TIMEOUT_MS = 3000;

/** Posts `{ text }` (what Slack's incoming webhooks, and the chat tools that copy them, take) to the URL the secret holds. */
export function webhookNotifier(url: SecretText, post: typeof fetch = fetch): Notifier {
  return {
    channel: 'webhook',
    async send(event) {
      const target = webhookUrl(await url());
      const response = await post(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: chatMessageOf(event) }),
        // The secret names the one place the message goes: a redirect elsewhere is a failure, not followed.
        redirect: 'error',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
    },
  };
}

/** The secret's URL, if it is one a webhook may be: https, or http on loopback (a local receiver). Never quoted in an error. */
function webhookUrl(text: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    throw new Error('the webhook secret does not hold a URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw new Error('the webhook URL must be https');
  return parsed;
}

/** One line for people in a chat channel. Names and reasons are escaped: nobody's justification can post a link or mention. */
export function chatMessageOf(event: ElevationEvent): string {
  const { request } = event;
  const who = (person: PersonRef) => escape(person.displayName || person.id);
  const pair = `*${escape(request.permissionSet)}* in *${escape(request.accountName)}* (${request.accountId})`;
  const by = event.actor ? who(event.actor) : 'Switchyard';
  const why = (reason: string | undefined) => (reason ? `: “${escape(reason)}”` : '');
  const until = request.endsAt ? ` until ${request.endsAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '';
  const id = `(request ${request.id})`;
  switch (event.change) {
    case 'requested':
      return `${who(request.requester)} asks for ${pair} for ${describeSeconds(request.durationSeconds)}${why(request.justification)}. It needs ${request.approvalsNeeded} approval${request.approvalsNeeded === 1 ? '' : 's'} ${id}`;
    case 'approved':
      return `${by} approved ${who(request.requester)}'s request for ${pair}: ${request.approvals.length} of ${request.approvalsNeeded} ${id}`;
    case 'granted':
      return request.approvalsNeeded === 0
        ? `${who(request.requester)} took ${pair}${until} (self-service)${why(request.justification)} ${id}`
        : `${by} approved: ${who(request.requester)} has ${pair}${until} ${id}`;
    case 'denied':
      return `${by} denied ${who(request.requester)}'s request for ${pair}${why(request.closed?.reason)} ${id}`;
    case 'cancelled':
      return `${who(request.requester)} cancelled their request for ${pair} ${id}`;
    case 'revoked':
      return `${by} revoked ${who(request.requester)}'s grant of ${pair}${why(request.closed?.reason)}; its sessions are being ended ${id}`;
    case 'extended':
      return `${who(request.requester)} extended their grant of ${pair} by ${describeSeconds(request.extensions.at(-1)?.seconds ?? 0)}${until} ${id}`;
    case 'expired':
      return `${who(request.requester)}'s request for ${pair} expired without enough approvals ${id}`;
    case 'ended':
      return `${who(request.requester)}'s grant of ${pair} ended ${id}`;
  }
}

/** Slack's own escaping: these three characters are its markup's. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Every change: the audit log first, then every notifier at once, each failure logged. The errors are ours
 * (which never quote the webhook URL), fetch's or AWS's, none of which quotes a secret.
 */
export function elevationEvents(logger: AppLogger, notifiers: readonly Notifier[]): ElevationEvents {
  const audit = auditLog(logger);
  return {
    async record(event) {
      audit(event);
      await Promise.all(
        notifiers.map((notifier) =>
          notifier.send(event).catch((error: unknown) => {
            logger.warn('elevation notification failed', {
              channel: notifier.channel,
              requestId: event.request.id,
              change: event.change,
              reason: errorText(error),
            });
          }),
        ),
      );
    },
  };
}
