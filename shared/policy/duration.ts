/** Session lengths: ISO 8601 time durations (PT8H, PT1H30M, PT90M, PT3600S) or whole seconds. */

const ISO_DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/** Seconds, or undefined when the text is not a duration this accepts. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = ISO_DURATION.exec(value.trim().toUpperCase());
  if (!match || value.trim().toUpperCase() === 'PT') return undefined;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** "8 h", "1 h 30 min", "45 min" — for messages. */
export function describeSeconds(total: number): string {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts = [hours ? `${hours} h` : '', minutes ? `${minutes} min` : '', seconds ? `${seconds} s` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}
