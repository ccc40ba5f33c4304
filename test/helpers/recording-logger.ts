/**
 * Test helper: a logger that records every entry (level, message, fields) and also passes it to a real
 * Powertools logger, so a test sees both what the code logged and what reached stdout.
 */
import type { AppLogger } from '../../backend/logging.ts';
import { createLogger } from '../../backend/logging.ts';

export interface LoggedEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export function recordingLogger(serviceName = 'switchyard-test', level = 'DEBUG'): AppLogger & { entries: LoggedEntry[]; text(): string } {
  const inner = createLogger(serviceName, level);
  const entries: LoggedEntry[] = [];
  const make =
    (name: LoggedEntry['level']) =>
    (message: unknown, ...rest: unknown[]) => {
      const fields = Object.assign(
        {},
        ...rest.filter((part): part is Record<string, unknown> => typeof part === 'object' && part !== null),
      ) as Record<string, unknown>;
      entries.push({ level: name, message: String(message), fields });
      (inner[name] as (...args: unknown[]) => void).call(inner, message, ...rest);
    };
  return {
    entries,
    text: () => JSON.stringify(entries),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
  } as AppLogger & { entries: LoggedEntry[]; text(): string };
}
