/** The trust policy now lives with the other IAM documents in shared/iam/; kept for existing importers. */
export * from '../iam/trust-policy.ts';
