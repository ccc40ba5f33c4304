import { describe, expect, it } from 'vitest';
import type { RequestView } from '../../../shared/api/requests.ts';
import { API_ROUTES } from '../../../shared/api/routes.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';
import { pathOf } from './api-client.ts';
import { parseActionArgs, parseRequestArgs, parseRequestsArgs } from './request-args.ts';
import { eligibilityMark, requestsTable, requestSummary } from './request-view.ts';

const ID = 'abcdefghijk23456';

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

const pending: RequestView = {
  id: ID,
  state: 'pending',
  requester: { id: 'bob@corp.example.com', displayName: 'Bob Auditor' },
  accountId: '222222222222',
  accountName: 'payments-prod',
  permissionSet: 'Developer',
  durationSeconds: 5400,
  justification: 'OPS-123',
  rule: 'eligibility.yaml entry 1',
  createdAt: '2026-06-01T12:00:00.000Z',
  pendingExpiresAt: '2026-06-01T20:00:00.000Z',
  approvals: [],
  approvalsNeeded: 1,
  extensions: [],
};

describe('switchyard request: its command line', () => {
  it('takes the account and the permission set, a duration as people write it, and a justification', () => {
    expect(parseRequestArgs(['payments-prod', 'Developer', '--duration', '1h30m', '--justification', 'OPS-1'])).toEqual({
      account: 'payments-prod',
      permissionSet: 'Developer',
      durationSeconds: 5400,
      justification: 'OPS-1',
      json: false,
    });
    expect(parseRequestArgs(['222222222222', 'Developer', '--json', '--api', 'https://sy.example.com'])).toEqual({
      account: '222222222222',
      permissionSet: 'Developer',
      json: true,
      api: 'https://sy.example.com',
    });
  });

  it('names what is wrong: a bad --duration, a missing argument, one too many, an unknown option', () => {
    expect(() => parseRequestArgs(['payments-prod', 'Developer', '--duration', '2days'])).toThrow(/^--duration "2days" is not a duration/);
    expect(() => parseRequestArgs(['payments-prod', 'Developer', '--duration', '120'])).toThrow(/--duration/);
    expect(() => parseRequestArgs(['payments-prod', 'Developer', '--duration'])).toThrow(/--duration/);
    expect(() => parseRequestArgs(['payments-prod'])).toThrow('missing <permission-set>');
    expect(() => parseRequestArgs([])).toThrow('missing <account> <permission-set>');
    expect(() => parseRequestArgs(['a', 'b', 'c'])).toThrow('unexpected argument "c"');
    expect(() => parseRequestArgs(['a', 'b', '--reason', 'x'])).toThrow(/--reason/);
  });

  it('refuses a bad duration with exit 2 and the usage, before any API is needed', async () => {
    const io = captureIo();
    expect(await main(['request', 'payments-prod', 'Developer', '--duration', 'forever'], io)).toBe(2);
    expect(io.err).toContain('switchyard request: --duration "forever" is not a duration');
    expect(io.err).toContain('usage: switchyard request <account> <permission-set>');
    expect(io.out).toBe('');
  });
});

describe('switchyard approve, deny, revoke, cancel, extend: their command lines', () => {
  it('take a request id, and a reason or a duration by action', () => {
    expect(parseActionArgs('approve', [ID])).toEqual({ id: ID, json: false });
    expect(parseActionArgs('approve', [ID, '--reason', 'ok'])).toEqual({ id: ID, reason: 'ok', json: false });
    expect(parseActionArgs('deny', [ID, '--reason', 'no ticket', '--json'])).toEqual({ id: ID, reason: 'no ticket', json: true });
    expect(parseActionArgs('cancel', [ID])).toEqual({ id: ID, json: false });
    expect(parseActionArgs('extend', [ID, '--duration', '30m', '--justification', 'OPS-2'])).toEqual({
      id: ID,
      durationSeconds: 1800,
      justification: 'OPS-2',
      json: false,
    });
  });

  it('deny and revoke need a reason; a reason is never empty; an id is a request id', () => {
    expect(() => parseActionArgs('deny', [ID])).toThrow('--reason is required: say why you deny it');
    expect(() => parseActionArgs('revoke', [ID])).toThrow('--reason is required: say why you revoke it');
    expect(() => parseActionArgs('approve', [ID, '--reason', '  '])).toThrow('--reason must not be empty');
    expect(() => parseActionArgs('approve', ['../approvals'])).toThrow('"../approvals" is not a request id');
    expect(() => parseActionArgs('approve', [])).toThrow('missing <id>');
    expect(() => parseActionArgs('cancel', [ID, '--duration', '1h'])).toThrow(/--duration/);
    expect(() => parseActionArgs('extend', [ID, '--reason', 'x'])).toThrow(/--reason/);
    expect(() => parseActionArgs('extend', [ID, '--duration', '0m'])).toThrow(/^--duration "0m"/);
  });

  it('switchyard requests takes --to-approve and --json only', () => {
    expect(parseRequestsArgs([])).toEqual({ toApprove: false, json: false });
    expect(parseRequestsArgs(['--to-approve', '--json'])).toEqual({ toApprove: true, json: true });
    expect(() => parseRequestsArgs(['mine'])).toThrow('unexpected argument "mine"');
  });

  it('puts the id into the route, percent-encoded', () => {
    expect(pathOf(API_ROUTES.requestApprove.path, { id: ID })).toBe(`/requests/${ID}/approve`);
    expect(pathOf('/requests/:id', { id: 'a/b' })).toBe('/requests/a%2Fb');
    expect(() => pathOf('/requests/:id', {})).toThrow('needs the parameter id');
  });
});

describe('printing requests', () => {
  it('lists them in a table, with when a pending one expires and when a grant ends', () => {
    const active: RequestView = {
      ...pending,
      id: 'zzzzzzzzzzzzzzzz',
      state: 'active',
      startedAt: '2026-06-01T12:05:00.000Z',
      endsAt: '2026-06-01T13:35:00.000Z',
    };
    const lines = requestsTable([pending, active], 'none').split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+ACCOUNT\s+PERMISSION SET\s+REQUESTER\s+DURATION\s+WHEN\s+JUSTIFICATION$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${ID}\\s+pending\\s+payments-prod\\s+Developer\\s+Bob Auditor\\s+1 h 30 min\\s+expires 2026-06-01 20:00Z\\s+OPS-123$`),
    );
    expect(lines[2]).toMatch(/^zzzzzzzzzzzzzzzz\s+active .*ends 2026-06-01 13:35Z/);
    expect(requestsTable([], 'Nothing waits for your approval.')).toBe('Nothing waits for your approval.\n');
  });

  it('says where one request stands, who approved and who closed it', () => {
    expect(requestSummary(pending)).toBe(
      [
        `request ${ID}: pending`,
        '  payments-prod (222222222222) / Developer for 1 h 30 min, asked by Bob Auditor',
        '  justification: OPS-123',
        '  waits for 1 more approval(s); expires 2026-06-01 20:00Z',
        '',
      ].join('\n'),
    );
    const revoked: RequestView = {
      ...pending,
      state: 'revoked',
      approvals: [{ by: { id: 'alice', displayName: 'Alice Admin' }, group: 'Platform-Admins', at: '2026-06-01T12:05:00.000Z', reason: 'fine' }],
      closed: { by: { id: 'alice', displayName: 'Alice Admin' }, at: '2026-06-01T12:30:00.000Z', reason: 'done' },
    };
    const extended: RequestView = {
      ...pending,
      state: 'active',
      endsAt: '2026-06-01T14:05:00.000Z',
      extensions: [{ by: { id: 'bob', displayName: 'Bob Auditor' }, at: '2026-06-01T13:00:00.000Z', seconds: 1800, justification: 'OPS-124' }],
    };
    expect(requestSummary(extended)).toContain('  extended by 30 min by Bob Auditor: OPS-124\n  open until 2026-06-01 14:05Z\n');
    expect(requestSummary(revoked)).toContain(
      '  approved by Alice Admin (Platform-Admins): fine\n  revoked 2026-06-01 12:30Z by Alice Admin: done\n',
    );
  });

  it('escapes control and bidirectional characters in whatever the server sent', () => {
    const hostile: RequestView = { ...pending, justification: 'OPS-1\u001b[2J\nrm', requester: { id: 'x', displayName: 'Eve\u202eliam' } };
    const table = requestsTable([hostile], 'none');
    const summary = requestSummary(hostile);
    for (const text of [table, summary]) {
      expect(text.includes('\u001b') || text.includes('\u202e')).toBe(false);
      expect(text).toContain('OPS-1\\u001b[2J\\nrm');
    }
    expect(table.split('\n')).toHaveLength(3);
  });
});

describe('switchyard list, of an eligible pair', () => {
  const entitlement = {
    accountId: '222222222222',
    accountName: 'payments-prod',
    regions: ['eu-west-1'],
    permissionSet: 'Developer',
    sessionDurationSeconds: 3600,
  };
  const eligible = {
    maxDurationSeconds: 7200,
    defaultDurationSeconds: 3600,
    justification: { required: true },
    approval: { kind: 'none' as const },
    pendingExpirySeconds: 3600,
    extensions: { count: 0, durationSeconds: 0 },
  };

  it('says it opens on request, or where the open request stands; nothing for a standing pair', () => {
    expect(eligibilityMark(entitlement)).toBe('');
    expect(eligibilityMark({ ...entitlement, eligible })).toBe('on request (switchyard request)');
    expect(eligibilityMark({ ...entitlement, eligible, openRequest: { id: ID, state: 'pending', until: '2026-06-01T20:00:00.000Z' } })).toBe(
      `requested, pending (${ID})`,
    );
    expect(eligibilityMark({ ...entitlement, eligible, openRequest: { id: ID, state: 'active', until: '2026-06-01T13:35:00.000Z' } })).toBe(
      `granted until 2026-06-01 13:35Z (${ID})`,
    );
  });
});
