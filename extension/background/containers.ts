/**
 * Firefox containers (contextualIdentities): one per account, coloured like the account, so consoles
 * of several accounts live side by side, each with its own cookies. The Firefox build holds the
 * "contextualIdentities" permission (Firefox cannot make it optional; it shows no install prompt);
 * opening a tab in a container needs "cookies", an optional permission the options page asks for
 * when the person turns containers on.
 */
export const CONTAINER_PERMISSIONS = ['cookies'];

export type ContainerColor = 'blue' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'pink' | 'purple' | 'toolbar';

/** Firefox's container colours by hue (degrees), as it draws them. */
const PALETTE: [ContainerColor, number][] = [
  ['red', 11],
  ['orange', 37],
  ['yellow', 48],
  ['green', 96],
  ['turquoise', 166],
  ['blue', 205],
  ['purple', 274],
  ['pink', 312],
];

/** The container colour nearest in hue to an account colour ("#d13212", "#0af"); "toolbar" for greys and anything else. */
export function containerColorFor(cssColor: string | undefined): ContainerColor {
  const hex = cssColor?.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (!hex) return 'toolbar';
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const chroma = max - Math.min(r, g, b);
  if (chroma < 0.12) return 'toolbar';
  const sector = max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  const hue = sector * 60;
  let best: ContainerColor = 'toolbar';
  let bestDistance = Infinity;
  for (const [name, paletteHue] of PALETTE) {
    const around = Math.abs(hue - paletteHue);
    const distance = Math.min(around, 360 - around);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

export function containerNameFor(account: { id: string; name: string }): string {
  return `AWS ${account.name} (${account.id})`;
}

export interface ContextualIdentity {
  cookieStoreId: string;
  name: string;
  color: string;
}

/** The slice of browser.contextualIdentities used here. */
export interface ContextualIdentitiesApi {
  query(details: { name?: string }): Promise<ContextualIdentity[]>;
  create(details: { name: string; color: string; icon: string }): Promise<ContextualIdentity>;
  update(cookieStoreId: string, details: { color: string }): Promise<ContextualIdentity>;
}

/** Finds the account's container (recolouring it if the account's colour changed) or creates it. */
export async function containerFor(api: ContextualIdentitiesApi, account: { id: string; name: string; color?: string }): Promise<string> {
  const name = containerNameFor(account);
  const color = containerColorFor(account.color);
  const [existing] = await api.query({ name });
  if (existing) {
    if (existing.color !== color) await api.update(existing.cookieStoreId, { color });
    return existing.cookieStoreId;
  }
  return (await api.create({ name, color, icon: 'briefcase' })).cookieStoreId;
}
