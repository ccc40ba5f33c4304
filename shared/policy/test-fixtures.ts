/** A small valid policy folder for tests; override or drop files per test. */
import type { PolicyFile } from './problem.ts';

export const VALID_FILES: Record<string, string> = {
  'accounts.yaml': `accounts:
  - id: "111111111111"
    name: payments-prod
    color: "#d13212"
    tags: { env: prod, unit: payments }
    regions: [eu-west-1, us-east-1]
    ouPath: /Root/Workloads/Prod
  - id: "022222222222"
    name: payments-dev
    tags: { env: dev, unit: payments }
    ouPath: /Root/Workloads/Dev
`,
  'permission-sets/ReadOnly.yaml': `description: Read everything
sessionDuration: PT8H
managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
`,
  'permission-sets/Developer.json': `{
  "sessionDuration": 14400,
  "managedPolicies": ["arn:aws:iam::aws:policy/PowerUserAccess"],
  "inlinePolicy": "../policies/deny.json",
  "tags": { "team": "platform" }
}
`,
  'policies/deny.json': `{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": "*" }]
}
`,
  'assignments.yaml': `assignments:
  - group: Auditors
    permissionSet: ReadOnly
    accounts: { tags: { env: prod } }
  - group: Developers
    permissionSet: Developer
    accounts: "*"
`,
};

/** The valid files with some replaced (string) or removed (null). */
export function filesWith(changes: Record<string, string | null> = {}): PolicyFile[] {
  const merged: Record<string, string | null> = { ...VALID_FILES, ...changes };
  return Object.entries(merged).flatMap(([path, content]) => (content === null ? [] : [{ path, content }]));
}
