/**
 * An organization in memory for the Organizations calls account discovery sends: the organization,
 * its accounts (ListAccounts), the OU tree (ListRoots, ListAccountsForParent,
 * ListOrganizationalUnitsForParent) and each account's tags (ListTagsForResource), paged as AWS pages
 * them: at most 20 items, an opaque NextToken, InvalidInputException for a larger MaxResults.
 */
import { ORGANIZATIONS_MAX_RESULTS } from './quotas.ts';
import { jsonAnswer, jsonError, pagePosition, pageToken, type Answer } from './wire.ts';

export interface SimulatedAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE ... */
  status?: string;
  tags?: Record<string, string>;
  /** The OU (or root) it sits in; the root when unset. */
  parentId?: string;
}

export interface SimulatedUnit {
  id: string;
  name: string;
  parentId: string;
}

export const ROOT_ID = 'r-sim0';
const ORGANIZATION_ID = 'o-simulated01';

export class SimulatedOrganization {
  readonly accounts: SimulatedAccount[];

  constructor(
    readonly managementAccountId: string,
    accounts: SimulatedAccount[],
    readonly units: SimulatedUnit[] = [],
    private readonly partition = 'aws',
  ) {
    this.accounts = [{ id: managementAccountId, name: 'management' }, ...accounts];
  }

  has(accountId: string): boolean {
    return this.accounts.some((account) => account.id === accountId);
  }

  handle(operation: string, input: Record<string, unknown>): Answer {
    const arn = (kind: string, id: string) => `arn:${this.partition}:organizations::${this.managementAccountId}:${kind}/${ORGANIZATION_ID}/${id}`;
    const account = (a: SimulatedAccount) => {
      const status = a.status ?? 'ACTIVE';
      return {
        Id: a.id,
        Arn: arn('account', a.id),
        Email: `aws+${a.id}@example.com`,
        Name: a.name,
        Status: status,
        State: status,
        JoinedMethod: 'CREATED',
        JoinedTimestamp: 1_700_000_000,
      };
    };
    switch (operation) {
      case 'DescribeOrganization':
        return jsonAnswer({
          Organization: {
            Id: ORGANIZATION_ID,
            Arn: arn('organization', ORGANIZATION_ID),
            FeatureSet: 'ALL',
            MasterAccountArn: arn('account', this.managementAccountId),
            MasterAccountId: this.managementAccountId,
            MasterAccountEmail: `aws+${this.managementAccountId}@example.com`,
          },
        });
      case 'ListAccounts':
        return this.page('accounts', this.accounts, input, (items, next) => ({ Accounts: items.map(account), ...next }));
      case 'ListRoots':
        return this.page('roots', [ROOT_ID], input, (items, next) => ({
          Roots: items.map((id) => ({ Id: id, Arn: arn('root', id), Name: 'Root', PolicyTypes: [] })),
          ...next,
        }));
      case 'ListAccountsForParent': {
        const parent = String(input.ParentId ?? '');
        if (!this.isParent(parent))
          return jsonError(400, 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
        const inParent = this.accounts.filter((a) => (a.parentId ?? ROOT_ID) === parent);
        return this.page(`accounts:${parent}`, inParent, input, (items, next) => ({ Accounts: items.map(account), ...next }));
      }
      case 'ListOrganizationalUnitsForParent': {
        const parent = String(input.ParentId ?? '');
        if (!this.isParent(parent))
          return jsonError(400, 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
        const children = this.units.filter((unit) => unit.parentId === parent);
        return this.page(`units:${parent}`, children, input, (items, next) => ({
          OrganizationalUnits: items.map((unit) => ({ Id: unit.id, Arn: arn('ou', unit.id), Name: unit.name })),
          ...next,
        }));
      }
      case 'ListTagsForResource': {
        const resource = String(input.ResourceId ?? '');
        const found = this.accounts.find((a) => a.id === resource);
        if (!found)
          return jsonError(400, 'TargetNotFoundException', "We can't find a root, OU, account, or policy with the TargetId that you specified.");
        const tags = Object.entries(found.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
        return this.page(`tags:${resource}`, tags, input, (items, next) => ({ Tags: items, ...next }));
      }
      default:
        return jsonError(400, 'UnknownOperationException', `The simulator does not answer ${operation}.`);
    }
  }

  private isParent(id: string): boolean {
    return id === ROOT_ID || this.units.some((unit) => unit.id === id);
  }

  private page<T>(listing: string, items: T[], input: Record<string, unknown>, shape: (items: T[], next: { NextToken?: string }) => unknown): Answer {
    const requested = input.MaxResults === undefined ? ORGANIZATIONS_MAX_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(requested) || requested < 1 || requested > ORGANIZATIONS_MAX_RESULTS) {
      return jsonError(400, 'InvalidInputException', `MaxResults must be from 1 to ${ORGANIZATIONS_MAX_RESULTS}.`);
    }
    const position = pagePosition(listing, typeof input.NextToken === 'string' ? input.NextToken : undefined);
    if (position === 'invalid') return jsonError(400, 'InvalidInputException', 'The NextToken is not valid.');
    const page = items.slice(position, position + requested);
    const next = position + page.length;
    return jsonAnswer(shape(page, next < items.length ? { NextToken: pageToken(listing, next) } : {}));
  }
}
