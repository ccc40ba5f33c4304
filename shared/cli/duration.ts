/**
 * Durations as people type them at the command line: `2h`, `90m`, `1h30m`, `45s` (units h, m, s, in that
 * order, each at most once), or as policy files write them (ISO 8601: `PT2H`). A bare number is refused:
 * minutes or hours would both be a fair guess.
 */
import { parseDuration } from '../policy/duration.ts';

const SHORT_DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Whole seconds, greater than zero, or undefined when the text is not such a duration. */
export function parseCliDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  const short = trimmed === '' ? null : SHORT_DURATION.exec(trimmed);
  const seconds = short
    ? Number(short[1] ?? 0) * 3600 + Number(short[2] ?? 0) * 60 + Number(short[3] ?? 0)
    : trimmed.startsWith('pt')
      ? parseDuration(trimmed)
      : undefined;
  return seconds !== undefined && seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}
