/**
 * The region a pasted console URL already names (its regional host, or its region= parameter).
 * The popup then sends no region of its own: the backend refuses a request whose region disagrees
 * with its destination's, and the URL the person pasted is the better witness.
 */
const REGIONAL_HOST = /^([a-z]{2}(?:-gov)?-[a-z]+-\d{1,2})\.console\./;

export function regionNamedBy(destination: string | undefined): string | undefined {
  if (!destination || destination.startsWith('/')) return undefined;
  try {
    const url = new URL(destination);
    return REGIONAL_HOST.exec(url.hostname)?.[1] ?? url.searchParams.get('region') ?? undefined;
  } catch {
    return undefined;
  }
}
