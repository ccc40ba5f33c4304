/**
 * The rule of asking for a pair, in the request form's words: the durations it offers, whether a
 * justification will do, who approves. Only the lazily loaded form and To approve view use it, so it
 * stays out of the popup's first bundle.
 */
import type { Eligible } from '../../../shared/api/entitlements.ts';

const STEPS = [15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600, 24 * 3600];

/** The durations the request form offers: usual steps up to the rule's maximum, with its default and maximum among them. */
export function durationChoices(rule: Eligible): number[] {
  const choices = new Set(STEPS.filter((seconds) => seconds <= rule.maxDurationSeconds));
  choices.add(rule.defaultDurationSeconds);
  choices.add(rule.maxDurationSeconds);
  return [...choices].filter((seconds) => seconds > 0 && seconds <= rule.maxDurationSeconds).sort((a, b) => a - b);
}

/** What an extension may add: the usual steps up to the rule's most per extension, that most first. */
export function extensionChoices(rule: Eligible): number[] {
  const most = rule.extensions.durationSeconds;
  if (rule.extensions.count <= 0 || most <= 0) return [];
  const choices = new Set(STEPS.filter((seconds) => seconds < most));
  return [most, ...[...choices].sort((a, b) => b - a)];
}

/** "2 h", "1 h 30 min", "45 min". */
export function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** Why the justification would be refused, in the rule's words; undefined when it will do. */
export function justificationProblem(rule: Eligible, text: string): string | undefined {
  const { required, pattern, example } = rule.justification;
  const trimmed = text.trim();
  const hint = example ? ` (for example ${example})` : '';
  if (!trimmed) return required ? `A justification is required${hint}.` : undefined;
  if (pattern) {
    let matches = true;
    try {
      matches = new RegExp(pattern, 'u').test(trimmed);
    } catch {
      // A pattern this browser cannot read is left to the backend, which checks it too.
    }
    if (!matches) return `The justification must match ${pattern}${hint}.`;
  }
  return undefined;
}

/** Who approves, in words: "approved by Platform-Admins", "2 approvals from Platform-Admins or Security", "no approval needed". */
export function approvalText(rule: Eligible): string {
  if (rule.approval.kind === 'none') return 'No approval needed: it starts at once and is recorded.';
  const { groups, count } = rule.approval;
  return `${count === 1 ? 'One approval' : `${count} approvals`} from ${groups.join(' or ')}.`;
}
