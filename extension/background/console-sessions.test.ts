import { describe, expect, it } from 'vitest';
import { MODE_KEY, SESSIONS_KEY, makeConsoleSessions } from './console-sessions.ts';
import { memoryArea } from './storage-area.ts';

function setup() {
  const sessionArea = memoryArea();
  const localArea = memoryArea();
  return { sessionArea, localArea, sessions: makeConsoleSessions({ sessionArea, localArea, now: () => 1_000 }) };
}

describe('makeConsoleSessions', () => {
  it('writes nothing while no session is open, and removes its key once the last one goes', async () => {
    const { sessionArea, sessions } = setup();
    await sessions.tabClosed(4);
    await sessions.observe({ id: 4, url: 'https://example.com/' });
    expect(sessionArea.entries.size).toBe(0);
    await sessions.signedIn({ pair: '111111111111:Admin', tabId: 4, expiresAt: 5_000 }, 'multi-session');
    expect(sessionArea.entries.get(SESSIONS_KEY)).toEqual([{ pair: '111111111111:Admin', tabId: 4, expiresAt: 5_000 }]);
    await sessions.forget();
    expect(sessionArea.entries.size).toBe(0);
  });

  it('remembers the mode a console tab showed across restarts (storage.local), and nothing of pages that are not consoles', async () => {
    const { localArea, sessions } = setup();
    await sessions.observe({ id: 1, url: 'https://mail.example.com/' });
    expect(await sessions.seenMode()).toBeUndefined();
    await sessions.observe({ id: 1, url: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/' });
    expect(localArea.entries.get(MODE_KEY)).toEqual({ mode: 'multi-session', at: 1_000 });
    expect(await sessions.seenMode()).toBe('multi-session');
  });

  it('keeps no URL but the console host: never a sign-in URL or a page path', async () => {
    const { sessionArea, sessions } = setup();
    await sessions.signedIn({ pair: '111111111111:Admin', tabId: 9, expiresAt: 5_000 }, 'multi-session');
    await sessions.observe({ id: 9, url: 'https://111111111111-abcd1234.eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:' });
    expect(JSON.stringify([...sessionArea.entries.values()])).not.toMatch(/ec2|Instances|federation|SigninToken/);
  });
});
