/**
 * A request for an eligible pair and the grant it becomes: the record, and every change to it as a pure
 * function of the record, the rule, the actor and the time (docs/elevation.md). Who wins a race is the
 * state table's business (backend/elevation/request-store.ts); what each change may do is decided here.
 *
 *   pending ──approve (enough approvals)──> active ──time──> ended
 *      │  └──deny──> denied                   ├──revoke──> revoked   (a person, or a push that ends eligibility)
 *      │  └──cancel──> cancelled              └──extend──> active, ending later
 *      └──time──> expired
 *
 * `approval: none` makes a request active at once. Time-driven states (ended, expired) hold from the moment
 * the time passes, whether or not the record was written since (stateAt).
 */
import { groupMatches } from '../policy/group-names.ts';
import type { ApprovalRule, Eligibility, JustificationRule, Policy } from '../policy/model.ts';
import { MAX_JUSTIFICATION_LENGTH, MIN_GRANT_SECONDS, sameGroup } from '../policy/eligibility.ts';
import { selectorMatcher } from '../policy/selectors.ts';
import { describeSeconds } from '../policy/duration.ts';
import { MIN_REQUESTED_SESSION_SECONDS } from '../iam/limits.ts';

export type RequestState = 'pending' | 'active' | 'ended' | 'denied' | 'cancelled' | 'expired' | 'revoked';
export const REQUEST_STATES: readonly RequestState[] = ['pending', 'active', 'ended', 'denied', 'cancelled', 'expired', 'revoked'];

export interface PersonRef {
  id: string;
  displayName: string;
}

export interface Approval {
  by: PersonRef;
  /** The approver group this approval counts for. */
  group: string;
  at: string;
  reason?: string;
}

export interface Extension {
  by: PersonRef;
  at: string;
  seconds: number;
  justification?: string;
}

export interface ElevationRequest {
  /** 16 characters of [a-z2-7]. */
  id: string;
  requester: PersonRef & {
    /** The person's part of every role session name the broker gives them (`<sessionName>+<click id>`): what a revocation denies. */
    sessionName: string;
  };
  accountId: string;
  accountName: string;
  permissionSet: string;
  /** The eligibility entry the request was made under: its place, and the group that made the requester eligible. */
  rule: { source: string; group: string };
  durationSeconds: number;
  justification?: string;
  /** The state as last written; stateAt gives the state at a time. */
  state: RequestState;
  createdAt: string;
  pendingExpiresAt: string;
  approvals: Approval[];
  /** How many approvals the rule asked for when the request was made (0: self-service). */
  approvalsNeeded: number;
  startedAt?: string;
  endsAt?: string;
  extensions: Extension[];
  /** Denied, cancelled or revoked: by whom (absent: Switchyard itself, for a push that ended eligibility), when, why. */
  closed?: { by?: PersonRef; at: string; reason?: string };
}

/** A change the rules do not allow, in words for the person who asked. */
export interface Refusal {
  kind: 'bad_request' | 'forbidden' | 'conflict' | 'grant_required' | 'grant_ending';
  message: string;
}

export type Outcome = { ok: true; request: ElevationRequest } | { ok: false; refusal: Refusal };

const refuse = (kind: Refusal['kind'], message: string): Outcome => ({ ok: false, refusal: { kind, message } });
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (time: string) => Date.parse(time);

/**
 * The rule a request is under as the policy says now: the entry for the group that made the requester
 * eligible and the request's pair. Undefined when the policy no longer offers the pair to that group.
 */
export function currentRule(policy: Policy, request: Pick<ElevationRequest, 'accountId' | 'permissionSet' | 'rule'>): Eligibility | undefined {
  const account = policy.accounts.find((candidate) => candidate.id === request.accountId);
  if (!account) return undefined;
  return policy.eligibility.find(
    (entry) =>
      entry.permissionSet === request.permissionSet && sameGroup(entry.group, request.rule.group) && selectorMatcher(entry.accounts)(account),
  );
}

/** A person is themselves however the directory cases their id. */
export function samePerson(a: PersonRef, b: PersonRef): boolean {
  return a.id.toLowerCase() === b.id.toLowerCase();
}

/** The state at `now`: a pending request past its expiry has expired, an active grant past its end has ended. */
export function stateAt(request: ElevationRequest, now: number): RequestState {
  if (request.state === 'pending' && now >= ms(request.pendingExpiresAt)) return 'expired';
  if (request.state === 'active' && request.endsAt !== undefined && now >= ms(request.endsAt)) return 'ended';
  return request.state;
}

/** The record as of `now`: time-driven states written in (what a store saves when it settles an item). */
export function settled(request: ElevationRequest, now: number): ElevationRequest {
  const state = stateAt(request, now);
  return state === request.state ? request : { ...request, state };
}

/** Pending or active at `now`: the request holds its pair, so no second one for the same pair may be made. */
export function isOpen(request: ElevationRequest, now: number): boolean {
  const state = stateAt(request, now);
  return state === 'pending' || state === 'active';
}

/** Until when an open request holds its pair (its expiry, or the grant's end); undefined once closed. */
export function openUntil(request: ElevationRequest): number | undefined {
  if (request.state === 'pending') return ms(request.pendingExpiresAt);
  if (request.state === 'active' && request.endsAt) return ms(request.endsAt);
  return undefined;
}

/** The latest time the record can still change or matter, from which its retention counts. */
export function settledAt(request: ElevationRequest): number {
  return request.closed ? ms(request.closed.at) : (openUntil(request) ?? ms(request.createdAt));
}

export interface NewRequest {
  id: string;
  requester: ElevationRequest['requester'];
  accountId: string;
  accountName: string;
  permissionSet: string;
  /** The eligibility entry that governs the requester's requests for this pair (entitlements.ts eligibilityFor). */
  rule: Eligibility;
  durationSeconds?: number;
  justification?: string;
}

/** A new request; with `approval: none` it is an active grant at once. */
export function createRequest(input: NewRequest, now: number): Outcome {
  const { rule } = input;
  const durationSeconds = input.durationSeconds ?? rule.defaultDurationSeconds;
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_GRANT_SECONDS || durationSeconds > rule.maxDurationSeconds) {
    return refuse(
      'bad_request',
      `durationSeconds must be a whole number from ${MIN_GRANT_SECONDS} (15 min) to ${rule.maxDurationSeconds} (${describeSeconds(rule.maxDurationSeconds)}, this pair's maximum)`,
    );
  }
  const justification = input.justification?.trim() || undefined;
  const justificationProblem = checkJustification(rule.justification, justification);
  if (justificationProblem) return refuse('bad_request', justificationProblem);
  const selfService = rule.approval.kind === 'none';
  const request: ElevationRequest = {
    id: input.id,
    requester: { ...input.requester },
    accountId: input.accountId,
    accountName: input.accountName,
    permissionSet: input.permissionSet,
    rule: { source: rule.source, group: rule.group },
    durationSeconds,
    ...(justification ? { justification } : {}),
    state: selfService ? 'active' : 'pending',
    createdAt: iso(now),
    pendingExpiresAt: iso(now + rule.pendingExpirySeconds * 1000),
    approvals: [],
    approvalsNeeded: rule.approval.kind === 'none' ? 0 : rule.approval.count,
    ...(selfService ? { startedAt: iso(now), endsAt: iso(now + durationSeconds * 1000) } : {}),
    extensions: [],
  };
  return { ok: true, request };
}

/** Why a justification does not do, or undefined when it does. */
export function checkJustification(rule: JustificationRule, justification: string | undefined): string | undefined {
  if (justification === undefined) return rule.required ? `a justification is required${exampleOf(rule)}` : undefined;
  if (justification.length > MAX_JUSTIFICATION_LENGTH) return `the justification is longer than ${MAX_JUSTIFICATION_LENGTH} characters`;
  if (rule.pattern !== undefined && !new RegExp(rule.pattern, 'u').test(justification)) {
    return `the justification must match ${rule.pattern}${exampleOf(rule)}`;
  }
  return undefined;
}

const exampleOf = (rule: JustificationRule) => (rule.example ? ` (for example "${rule.example}")` : '');

/** The approver as the directory has them now: the groups are read when they approve, never taken from their sign-in. */
export interface Approver extends PersonRef {
  groups: readonly string[];
}

/**
 * One approval. The rule is the pair's eligibility entry as the policy says now (the approvers may have
 * changed since the request was made; undefined when the pair is no longer eligible for the requester's group).
 */
export function approve(
  request: ElevationRequest,
  rule: Eligibility | undefined,
  approver: Approver,
  reason: string | undefined,
  now: number,
): Outcome {
  const state = stateAt(request, now);
  if (state !== 'pending') return refuse('conflict', `request ${request.id} is ${state}; only a pending request can be approved`);
  if (samePerson(approver, request.requester))
    return refuse('forbidden', 'you cannot approve your own request, even as a member of an approver group');
  if (!rule) return refuse('conflict', noLongerEligible(request));
  if (rule.approval.kind === 'none') return refuse('conflict', `${request.permissionSet} in ${request.accountName} needs no approval now; ask again`);
  if (request.approvals.some((approval) => samePerson(approval.by, approver))) {
    return refuse('conflict', `you have already approved request ${request.id}; each approval must come from a different person`);
  }
  const group = countedGroup(rule.approval, request.approvals, approver.groups);
  if (group.kind === 'none') {
    return refuse(
      'forbidden',
      `approvals of this request come from ${rule.approval.groups.join(', ')}; the directory does not have you in any of them now`,
    );
  }
  if (group.kind === 'used') {
    return refuse(
      'forbidden',
      `each approval of this request must come from a different approver group, and your group${group.groups.length > 1 ? 's' : ''} (${group.groups.join(', ')}) already counted`,
    );
  }
  const approvals = [...request.approvals, { by: personRef(approver), group: group.group, at: iso(now), ...(reason ? { reason } : {}) }];
  const needed = rule.approval.count;
  if (approvals.length < needed) return { ok: true, request: { ...request, approvals, approvalsNeeded: needed } };
  return {
    ok: true,
    request: {
      ...request,
      approvals,
      approvalsNeeded: needed,
      state: 'active',
      startedAt: iso(now),
      endsAt: iso(now + request.durationSeconds * 1000),
    },
  };
}

type CountedGroup = { kind: 'group'; group: string } | { kind: 'none' } | { kind: 'used'; groups: string[] };

/** The approver group an approval counts for: one the approver is in, and with distinctGroups one no earlier approval counted for. */
function countedGroup(rule: Extract<ApprovalRule, { kind: 'approvers' }>, approvals: readonly Approval[], groups: readonly string[]): CountedGroup {
  const theirs = rule.groups.filter((group) => groupMatches(group, groups));
  if (theirs.length === 0) return { kind: 'none' };
  if (!rule.distinctGroups) return { kind: 'group', group: theirs[0]! };
  const free = theirs.find((group) => !approvals.some((approval) => approval.group === group));
  return free === undefined ? { kind: 'used', groups: theirs } : { kind: 'group', group: free };
}

/** Whether a person, with the groups the directory has them in now, is one of the rule's approvers. */
export function isApprover(rule: Eligibility | undefined, groups: readonly string[]): boolean {
  return rule?.approval.kind === 'approvers' && rule.approval.groups.some((group) => groupMatches(group, groups));
}

/** An approver says no. The requester cancels instead. */
export function deny(request: ElevationRequest, rule: Eligibility | undefined, approver: Approver, reason: string, now: number): Outcome {
  const state = stateAt(request, now);
  if (state !== 'pending') return refuse('conflict', `request ${request.id} is ${state}; only a pending request can be denied`);
  if (samePerson(approver, request.requester)) return refuse('forbidden', 'you cannot deny your own request: cancel it');
  if (!isApprover(rule, approver.groups))
    return refuse('forbidden', 'only an approver of this request may deny it; the directory does not have you in an approver group now');
  return { ok: true, request: close(request, 'denied', approver, reason, now) };
}

/** The requester takes back a pending request. */
export function cancel(request: ElevationRequest, actor: PersonRef, reason: string | undefined, now: number): Outcome {
  if (!samePerson(actor, request.requester)) return refuse('forbidden', 'only the requester may cancel a request');
  const state = stateAt(request, now);
  if (state !== 'pending')
    return refuse(
      'conflict',
      `request ${request.id} is ${state}; only a pending request can be cancelled${state === 'active' ? ' (revoke an active grant)' : ''}`,
    );
  return { ok: true, request: close(request, 'cancelled', actor, reason, now) };
}

/**
 * Ends an active grant early: the requester giving it up, an approver of the pair (groups read now), or
 * Switchyard for a push that made the pair no longer eligible (actor undefined). The caller then denies the
 * requester's sessions issued before this moment (docs/elevation.md, "Revocation ends live sessions").
 */
export function revoke(
  request: ElevationRequest,
  rule: Eligibility | undefined,
  actor: Approver | undefined,
  reason: string | undefined,
  now: number,
): Outcome {
  const state = stateAt(request, now);
  if (state !== 'active') return refuse('conflict', `request ${request.id} is ${state}; only an active grant can be revoked`);
  if (actor && !samePerson(actor, request.requester) && !isApprover(rule, actor.groups)) {
    return refuse(
      'forbidden',
      'only the requester or an approver of this pair may revoke the grant; the directory does not have you in an approver group now',
    );
  }
  return { ok: true, request: close(request, 'revoked', actor, reason, now) };
}

/** The requester extends an active grant, within the rule's allowance (the rule as the policy says now). */
export function extend(
  request: ElevationRequest,
  rule: Eligibility | undefined,
  actor: PersonRef,
  input: { seconds?: number; justification?: string },
  now: number,
): Outcome {
  if (!samePerson(actor, request.requester)) return refuse('forbidden', 'only the requester may extend a grant');
  const state = stateAt(request, now);
  if (state !== 'active' || request.endsAt === undefined)
    return refuse('conflict', `request ${request.id} is ${state}; only an active grant can be extended`);
  if (!rule) return refuse('conflict', noLongerEligible(request));
  const allowance = rule.extensions;
  if (request.extensions.length >= allowance.count) {
    return refuse(
      'conflict',
      allowance.count === 0
        ? 'this pair allows no extensions: ask again'
        : `this grant has had its ${allowance.count} extension${allowance.count > 1 ? 's' : ''}: ask again`,
    );
  }
  const seconds = input.seconds ?? allowance.durationSeconds;
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > allowance.durationSeconds) {
    return refuse('bad_request', `an extension adds from 60 to ${allowance.durationSeconds} seconds (${describeSeconds(allowance.durationSeconds)})`);
  }
  const justification = input.justification?.trim() || undefined;
  if (justification && justification.length > MAX_JUSTIFICATION_LENGTH)
    return refuse('bad_request', `the justification is longer than ${MAX_JUSTIFICATION_LENGTH} characters`);
  const extension: Extension = { by: personRef(actor), at: iso(now), seconds, ...(justification ? { justification } : {}) };
  return { ok: true, request: { ...request, extensions: [...request.extensions, extension], endsAt: iso(ms(request.endsAt) + seconds * 1000) } };
}

function close(
  request: ElevationRequest,
  state: 'denied' | 'cancelled' | 'revoked',
  actor: PersonRef | undefined,
  reason: string | undefined,
  now: number,
): ElevationRequest {
  return { ...request, state, closed: { ...(actor ? { by: personRef(actor) } : {}), at: iso(now), ...(reason ? { reason } : {}) } };
}

function personRef(person: PersonRef): PersonRef {
  return { id: person.id, displayName: person.displayName };
}

function noLongerEligible(request: ElevationRequest): string {
  return `${request.permissionSet} in ${request.accountName} is no longer offered to ${request.rule.group} on request (the policy changed)`;
}

/**
 * Slack between the moment a click is checked and the moment its session starts (the STS call, the browser
 * opening the sign-in link): every session is made this much shorter than the time left, so it ends before
 * the grant does.
 */
export const SESSION_START_SLACK_SECONDS = 30;

/**
 * The session a click on a granted pair may get: as long as the permission set allows, but ending before the
 * grant does; refused when the grant does not cover the pair now, or when what is left is under STS's minimum.
 */
export function grantedSession(
  request: ElevationRequest | undefined,
  permissionSetSeconds: number,
  now: number,
): { ok: true; seconds: number; endsAt: string } | { ok: false; refusal: Refusal } {
  if (!request || stateAt(request, now) !== 'active' || request.endsAt === undefined) {
    const pending = request && stateAt(request, now) === 'pending';
    return {
      ok: false,
      refusal: {
        kind: 'grant_required',
        message: pending
          ? `request ${request.id} for this pair is waiting for approval (${request.approvals.length} of ${request.approvalsNeeded}); it opens once approved`
          : 'this pair opens only on request: ask for it (and have it approved) first',
      },
    };
  }
  const left = Math.floor((ms(request.endsAt) - now) / 1000) - SESSION_START_SLACK_SECONDS;
  if (left < MIN_REQUESTED_SESSION_SECONDS) {
    return {
      ok: false,
      refusal: {
        kind: 'grant_ending',
        message:
          `grant ${request.id} ends in ${describeSeconds(Math.max(0, Math.floor((ms(request.endsAt) - now) / 1000)))}; ` +
          `AWS gives no session shorter than ${describeSeconds(MIN_REQUESTED_SESSION_SECONDS)} and a session must end before the grant does: ` +
          'extend it if the rule allows, or ask again',
      },
    };
  }
  return { ok: true, seconds: Math.min(permissionSetSeconds, left), endsAt: request.endsAt };
}
