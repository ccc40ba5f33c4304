import { describe, expect, it } from 'vitest';
import { formatProblem } from './problem.ts';

describe('formatProblem', () => {
  it('prints file:line:column: severity: message', () => {
    expect(formatProblem({ file: 'accounts.yaml', line: 2, column: 9, severity: 'error', message: 'bad id' })).toBe(
      'accounts.yaml:2:9: error: bad id',
    );
  });

  it('escapes control characters in the file name and the message, so one problem stays one harmless line', () => {
    const line = formatProblem({
      file: 'accounts/\u001b[2Jx.yaml',
      line: 1,
      column: 1,
      severity: 'warning',
      message: 'no account is named "a\u001b]0;pwned\u0007\nb\u202e"',
    });
    expect(line).toBe('accounts/\\u001b[2Jx.yaml:1:1: warning: no account is named "a\\u001b]0;pwned\\u0007\\nb\\u202e"');
  });
});
