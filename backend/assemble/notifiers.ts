/** Elevation's notifiers (backend/elevation/notifications.ts), for the API and the reconciler: the requests topic and the webhook, as configured. */
import { createSecretsManagerClient, createSnsClient, type AwsSettings } from '../aws/clients.ts';
import { secretsManagerText } from '../auth/secret-values.ts';
import type { ElevationConfig } from '../config/config.ts';
import { snsNotifier, webhookNotifier, type Notifier } from '../elevation/notifications.ts';

/** How long the webhook URL is kept before it is read again: a rotated URL reaches every instance within it. */
const WEBHOOK_URL_MAX_AGE_SECONDS = 5 * 60;

export function assembleNotifiers(config: ElevationConfig, aws: AwsSettings, post?: typeof fetch): Notifier[] {
  return [
    ...(config.topicArn ? [snsNotifier(createSnsClient(aws), config.topicArn)] : []),
    ...(config.webhookSecretArn
      ? [webhookNotifier(secretsManagerText(createSecretsManagerClient(aws), config.webhookSecretArn, WEBHOOK_URL_MAX_AGE_SECONDS), post)]
      : []),
  ];
}
