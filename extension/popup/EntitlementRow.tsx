/** One (account, permission set) row in the list. */
import type { Entitlement } from '../../shared/api/contract.ts';
import { entitlementKey } from './entitlement-key.ts';

interface Props {
  entitlement: Entitlement;
  selected: boolean;
  opening: boolean;
  onOpen(): void;
  onHover(): void;
}

const FALLBACK_COLOR = '#8a94a6';

export function rowId(entitlement: Entitlement): string {
  return `row-${entitlementKey(entitlement).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function swatchColor(color: string | undefined): string {
  return color && CSS.supports('color', color) ? color : FALLBACK_COLOR;
}

export function EntitlementRow({ entitlement, selected, opening, onOpen, onHover }: Props) {
  return (
    <li
      id={rowId(entitlement)}
      role="option"
      aria-selected={selected}
      aria-busy={opening}
      class={`row${selected ? ' selected' : ''}${opening ? ' opening' : ''}`}
      onClick={onOpen}
      onMouseMove={selected ? undefined : onHover}
    >
      <span class="swatch" style={{ backgroundColor: swatchColor(entitlement.color) }} aria-hidden="true" />
      <span class="account">
        <span class="account-name">{entitlement.accountName}</span>
        <span class="account-id">{entitlement.accountId}</span>
      </span>
      <span class="permission-set">{entitlement.permissionSet}</span>
    </li>
  );
}
