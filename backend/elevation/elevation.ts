/**
 * Elevation's use cases for the API (docs/elevation.md): ask, approve, deny, cancel, revoke, extend, list,
 * and the check every click on an eligible pair passes. The rules are shared/elevation/request.ts; the
 * records and their races are request-store.ts; this file reads the policy and the directory at the moment
 * of each change, writes the change under its condition (reading again when somebody else wrote first),
 * and tells the audit log and the notifications.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from '../../shared/api/person.ts';
import type { CreateRequest, RequestView } from '../../shared/api/requests.ts';
import { requestView } from '../../shared/elevation/request-view.ts';
import {
  approve,
  cancel,
  createRequest,
  currentRule,
  deny,
  extend,
  grantedSession,
  isApprover,
  revoke,
  samePerson,
  type ElevationRequest,
  type Outcome,
  type Refusal,
} from '../../shared/elevation/request.ts';
import { eligibilityFor, entitlementStatus } from '../../shared/entitlements.ts';
import type { PublishedPolicy } from '../../shared/plan/published-policy.ts';
import type { CurrentGroups } from './current-groups.ts';
import type { ElevationChange, ElevationEvents } from './events.ts';
import { PairAlreadyOpen, type RequestStore, type StoredRequest } from './request-store.ts';
import { StateConditionFailed } from '../state/state-table.ts';
import { pairKey } from '../../shared/policy/pair.ts';

export interface ElevationDeps {
  store: RequestStore;
  /** The published policy, as the API reads it now. */
  published: () => Promise<PublishedPolicy>;
  currentGroups: CurrentGroups;
  events: ElevationEvents;
  /** The person's part of the role session names the broker gives them (backend/broker/session-name.ts). */
  sessionNameOf: (personId: string) => string;
  /** Asks the reconciler to deny a revoked grant's live sessions now, rather than at its next run. */
  revoked: (request: ElevationRequest) => Promise<void>;
  now?: () => number;
}

/** A change the rules refuse, or a request the person may not see (`not_found`). */
export class ElevationRefused extends Error {
  override readonly name = 'ElevationRefused';
  constructor(
    readonly kind: Refusal['kind'] | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** How many times a change is tried again when another writer changed the request first. */
const MAX_TRIES = 5;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newRequestId(): string {
  return Array.from(randomBytes(16), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

export type Elevation = ReturnType<typeof makeElevation>;

export function makeElevation(deps: ElevationDeps) {
  const now = deps.now ?? Date.now;

  async function record(change: ElevationChange, request: ElevationRequest, actor?: Person): Promise<void> {
    await deps.events.record({
      change,
      request,
      ...(actor ? { actor: { id: actor.id, displayName: actor.displayName } } : {}),
      at: new Date(now()).toISOString(),
    });
  }

  async function read(id: string): Promise<StoredRequest> {
    const stored = await deps.store.get(id);
    if (!stored) throw new ElevationRefused('not_found', `no request ${id}`);
    return stored;
  }

  /** Reads the request, applies `change`, writes it under its version; reads again and retries when another writer won. */
  async function changeRequest(
    id: string,
    change: (request: ElevationRequest, published: PublishedPolicy) => Promise<Outcome>,
  ): Promise<{ before: ElevationRequest; after: ElevationRequest }> {
    for (let attempt = 1; ; attempt++) {
      const stored = await read(id);
      const published = await deps.published();
      const outcome = await change(stored.request, published);
      if (!outcome.ok) throw new ElevationRefused(outcome.refusal.kind, outcome.refusal.message);
      try {
        const saved = await deps.store.save(outcome.request, stored.version);
        return { before: stored.request, after: saved.request };
      } catch (error) {
        if (!(error instanceof StateConditionFailed) || attempt >= MAX_TRIES) throw error;
      }
    }
  }

  /** The approver as the directory has them now; a person it no longer has approves nothing. */
  async function asApprover(person: Person) {
    const groups = await deps.currentGroups.of(person);
    if (groups === null) throw new ElevationRefused('forbidden', 'the directory no longer has you: you cannot approve, deny or revoke');
    return { id: person.id, displayName: person.displayName, groups };
  }

  /** Who may see a request: its requester, and the approvers of its pair (by the groups of their sign-in). */
  function maySee(person: Person, request: ElevationRequest, published: PublishedPolicy): boolean {
    return samePerson(person, request.requester) || isApprover(currentRule(published.policy, request), person.groups);
  }

  /** Writes what time decided (expired, ended) for requests read in a list, and tells about it. */
  async function settleAll(found: StoredRequest[]): Promise<ElevationRequest[]> {
    return Promise.all(
      found.map(async (stored) => {
        const settled = await deps.store.settle(stored);
        if (settled.request.state !== stored.request.state && (settled.request.state === 'expired' || settled.request.state === 'ended')) {
          await record(settled.request.state, settled.request);
        }
        return settled.request;
      }),
    );
  }

  return {
    /** A request as the API answers with it, its state as of now. */
    view(request: ElevationRequest): RequestView {
      return requestView(request, now());
    },

    async create(person: Person, input: CreateRequest): Promise<ElevationRequest> {
      const published = await deps.published();
      const target = { accountId: input.accountId, permissionSet: input.permissionSet };
      const status = entitlementStatus(published.policy, person.groups, published.available, target);
      if (status.kind === 'not-assigned')
        throw new ElevationRefused('forbidden', `you may not ask for ${input.permissionSet} in account ${input.accountId}`);
      if (!status.entitlement.eligible) {
        throw new ElevationRefused(
          'conflict',
          `${input.permissionSet} in ${status.entitlement.accountName} is yours already (standing access): open it, no request needed`,
        );
      }
      if (status.kind === 'unavailable') {
        throw new ElevationRefused(
          'conflict',
          `the role for ${input.permissionSet} in ${status.entitlement.accountName} is not in place yet (the last reconcile could not create or repair it); ask your Switchyard administrator`,
        );
      }
      const rule = eligibilityFor(published.policy, person.groups, target);
      if (!rule) throw new ElevationRefused('forbidden', `you may not ask for ${input.permissionSet} in account ${input.accountId}`);
      const outcome = createRequest(
        {
          id: newRequestId(),
          requester: { id: person.id, displayName: person.displayName, sessionName: deps.sessionNameOf(person.id) },
          accountId: input.accountId,
          accountName: status.entitlement.accountName,
          permissionSet: input.permissionSet,
          rule,
          ...(input.durationSeconds !== undefined ? { durationSeconds: input.durationSeconds } : {}),
          ...(input.justification !== undefined ? { justification: input.justification } : {}),
        },
        now(),
      );
      if (!outcome.ok) throw new ElevationRefused(outcome.refusal.kind, outcome.refusal.message);
      const longest = rule.maxDurationSeconds + rule.extensions.count * rule.extensions.durationSeconds;
      let stored: StoredRequest;
      try {
        stored = await deps.store.create(outcome.request, longest);
      } catch (error) {
        if (!(error instanceof PairAlreadyOpen)) throw error;
        const existing = error.existing;
        const until = existing.state === 'active' ? `granted until ${existing.endsAt}` : `waiting for approval until ${existing.pendingExpiresAt}`;
        throw new ElevationRefused(
          'conflict',
          `you already have request ${existing.id} for ${input.permissionSet} in ${existing.accountName} (${until})`,
        );
      }
      await record(stored.request.state === 'active' ? 'granted' : 'requested', stored.request, person);
      return stored.request;
    },

    async get(person: Person, id: string): Promise<ElevationRequest> {
      const stored = await deps.store.get(id);
      if (!stored || !maySee(person, stored.request, await deps.published())) throw new ElevationRefused('not_found', `no request ${id} you may see`);
      const [request] = await settleAll([stored]);
      return request!;
    },

    async approve(person: Person, id: string, reason: string | undefined): Promise<ElevationRequest> {
      const approver = await asApprover(person);
      const { after } = await changeRequest(id, async (request, published) =>
        approve(request, currentRule(published.policy, request), approver, reason, now()),
      );
      await record(after.state === 'active' ? 'granted' : 'approved', after, person);
      return after;
    },

    async deny(person: Person, id: string, reason: string): Promise<ElevationRequest> {
      const approver = await asApprover(person);
      const { after } = await changeRequest(id, async (request, published) =>
        deny(request, currentRule(published.policy, request), approver, reason, now()),
      );
      await record('denied', after, person);
      return after;
    },

    async cancel(person: Person, id: string, reason: string | undefined): Promise<ElevationRequest> {
      const { after } = await changeRequest(id, async (request) => cancel(request, person, reason, now()));
      await record('cancelled', after, person);
      return after;
    },

    async revoke(person: Person, id: string, reason: string): Promise<ElevationRequest> {
      const { after } = await changeRequest(id, async (request, published) => {
        // The requester may always give a grant up; anyone else must be an approver as the directory has them now.
        const actor = samePerson(person, request.requester) ? { ...person, groups: [] } : await asApprover(person);
        return revoke(request, currentRule(published.policy, request), actor, reason, now());
      });
      await record('revoked', after, person);
      await deps.revoked(after);
      return after;
    },

    async extend(person: Person, id: string, input: { durationSeconds?: number; justification?: string }): Promise<ElevationRequest> {
      const { after } = await changeRequest(id, async (request, published) =>
        extend(
          request,
          currentRule(published.policy, request),
          person,
          {
            ...(input.durationSeconds !== undefined ? { seconds: input.durationSeconds } : {}),
            ...(input.justification ? { justification: input.justification } : {}),
          },
          now(),
        ),
      );
      await record('extended', after, person);
      return after;
    },

    /** The person's own requests, newest first. */
    async mine(person: Person): Promise<ElevationRequest[]> {
      return settleAll(await deps.store.mine(person.id));
    },

    /** Pending requests the person may approve now (by the groups of their sign-in; approving reads the directory again), oldest first. */
    async approvable(person: Person): Promise<ElevationRequest[]> {
      const published = await deps.published();
      const pending = (await deps.store.inState('pending')).filter(({ request }) => {
        if (samePerson(person, request.requester) || request.approvals.some((approval) => samePerson(approval.by, person))) return false;
        return isApprover(currentRule(published.policy, request), person.groups);
      });
      return (await settleAll(pending)).filter((request) => request.state === 'pending');
    },

    /** The person's open requests and grants by pairKey (for GET /entitlements), read in one query. */
    async openOf(person: Person): Promise<Map<string, ElevationRequest>> {
      const open = await deps.store.openOf(person.id);
      return new Map(open.map(({ request }) => [pairKey(request), request]));
    },

    /**
     * The click check for an eligible pair: the grant that covers it now and the session it may give (as
     * long as the permission set allows, ending before the grant), read consistently; refused otherwise.
     */
    async sessionFor(
      person: Person,
      target: { accountId: string; permissionSet: string },
      permissionSetSeconds: number,
    ): Promise<{ grantId: string; seconds: number; endsAt: string }> {
      const open = await deps.store.openFor(person.id, target.accountId, target.permissionSet);
      const session = grantedSession(open?.request, permissionSetSeconds, now());
      if (!session.ok) throw new ElevationRefused(session.refusal.kind, session.refusal.message);
      return { grantId: open!.request.id, seconds: session.seconds, endsAt: session.endsAt };
    },
  };
}
