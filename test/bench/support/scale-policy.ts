/**
 * The policy of a large organization, for the scale benchmarks: `accounts` accounts in teams and
 * environments (tags, colours, regions, OU paths), `sets` permission sets with inline policies, and
 * `groups` directory groups: one platform group assigned every set everywhere (the all-accounts admin),
 * the rest one set each over one team's accounts (by tag) or one environment's OU.
 */
import { desiredRoles } from '../../../shared/plan/desired-roles.ts';
import type { Availability } from '../../../shared/plan/availability.ts';
import { loadPolicy } from '../../../shared/policy/load-policy.ts';
import type { Policy } from '../../../shared/policy/model.ts';

export const ADMIN_GROUP = 'platform-admins';
const TEAMS = 50;
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'];
const COLORS: Record<string, string> = { prod: '"#d13212"', staging: '"#ff9900"', dev: '"#1d8102"', sandbox: '"#0073bb"' };
const ACCOUNTS_PER_FILE = 2000;

export const accountIdOf = (i: number) => String(100_000_000_000 + i);
export const setNameOf = (j: number) => `Role${String(j).padStart(2, '0')}`;
const teamOf = (i: number) => `team-${i % TEAMS}`;
const environmentOf = (i: number) => ENVIRONMENTS[Math.floor(i / TEAMS) % ENVIRONMENTS.length] as string;

/** The groups of a typical person: two groups of one team (two sets over that team's accounts). */
export const TYPICAL_GROUPS = ['team-7-role01', 'team-7-role03'];

export function scalePolicyFiles(accounts: number, sets: number, groups: number): { path: string; content: string }[] {
  const files: { path: string; content: string }[] = [];
  for (let start = 0; start < accounts; start += ACCOUNTS_PER_FILE) {
    const lines = Array.from({ length: Math.min(ACCOUNTS_PER_FILE, accounts - start) }, (_, k) => {
      const i = start + k;
      const environment = environmentOf(i);
      const regions = i % 5 === 0 ? '[eu-west-1, us-east-1]' : '[eu-west-1]';
      return (
        `  - { id: "${accountIdOf(i)}", name: ${teamOf(i)}-${environment}-${i}, color: ${COLORS[environment]}, regions: ${regions}, ` +
        `ouPath: /Root/Workloads/${environment}, tags: { team: ${teamOf(i)}, env: ${environment}, cost-center: cc-${i % 40} } }`
      );
    });
    files.push({ path: `accounts/part-${String(start / ACCOUNTS_PER_FILE).padStart(3, '0')}.yaml`, content: `accounts:\n${lines.join('\n')}\n` });
  }
  for (let j = 0; j < sets; j++) {
    files.push({
      path: `permission-sets/${setNameOf(j)}.yaml`,
      content: `description: Role ${j} for the teams that need it\nsessionDuration: PT${1 + (j % 12)}H\ninlinePolicy: ../policies/role-${j}.json\n`,
    });
    const statements = Array.from({ length: 8 }, (_, k) => ({
      Sid: `Deny${k}`,
      Effect: 'Deny',
      Action: [`service${k}:Delete*`, `service${k}:Put*`],
      Resource: '*',
    }));
    files.push({ path: `policies/role-${j}.json`, content: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
  }
  const assignments = Array.from({ length: sets }, (_, j) => `  - { group: ${ADMIN_GROUP}, permissionSet: ${setNameOf(j)}, accounts: "*" }`);
  for (let g = 1; g < groups; g++) {
    const set = setNameOf(Math.floor(g / TEAMS) % sets);
    const team = `team-${g % TEAMS}`;
    assignments.push(
      g % 10 === 9
        ? `  - { group: env-${g}-${set.toLowerCase()}, permissionSet: ${set}, accounts: { ouPaths: [/Root/Workloads/${ENVIRONMENTS[g % ENVIRONMENTS.length]}] } }`
        : `  - { group: ${team}-${set.toLowerCase()}, permissionSet: ${set}, accounts: { tags: { team: ${team} } } }`,
    );
  }
  files.push({ path: 'assignments.yaml', content: `assignments:\n${assignments.join('\n')}\n` });
  return files;
}

export function loadScalePolicy(accounts: number, sets: number, groups: number): { policy: Policy; available: Availability } {
  const loaded = loadPolicy(scalePolicyFiles(accounts, sets, groups));
  if (!loaded.policy) throw new Error(`the scale policy does not load: ${loaded.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  const available: Availability = {};
  for (const [accountId, roles] of desiredRoles(loaded.policy, {
    identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
    developerProvider: 'login.switchyard.example',
  })) {
    if (roles.length > 0) available[accountId] = roles.map((role) => role.permissionSet).sort();
  }
  return { policy: loaded.policy, available };
}
