/** Policy document comparison now lives in shared/iam/; kept for existing importers. */
export * from '../iam/policy-document.ts';
