import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kidOf, loadedKeyRing, parseKeySet } from './session-keys.ts';

const secret = randomBytes(32).toString('base64');

describe('session key sets', () => {
  it('reads a JSON key set, newest first, and a bare base64 key', () => {
    const other = randomBytes(48).toString('base64');
    const keys = parseKeySet(
      JSON.stringify({
        keys: [
          { kid: 'new', secret },
          { kid: 'old', secret: other },
        ],
      }),
      'test',
    );
    expect(keys.map((key) => key.kid)).toEqual(['new', 'old']);
    const [single] = parseKeySet(`${secret}\n`, 'test');
    expect(single?.kid).toBe(kidOf(new Uint8Array(Buffer.from(secret, 'base64'))));
  });

  it('names the source and the problem, never the key', () => {
    const short = Buffer.from('short-but-secret').toString('base64');
    const cases = [
      short,
      '{"keys": []}',
      JSON.stringify({ keys: [{ kid: 'a', secret: short }] }),
      JSON.stringify({ keys: [{ kid: 'a b', secret }] }),
      JSON.stringify({
        keys: [
          { kid: 'a', secret },
          { kid: 'a', secret },
        ],
      }),
      '{not json',
    ];
    for (const text of cases) {
      let message = '';
      try {
        parseKeySet(text, 'SWITCHYARD_SESSION_KEY_PARAMETER (/switchyard/keys)');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^SWITCHYARD_SESSION_KEY_PARAMETER \(\/switchyard\/keys\): /);
      expect(message).not.toContain(short);
      expect(message).not.toContain(secret);
    }
  });

  it('reads the set again when stale, and for an unknown kid at most once per interval', async () => {
    let now = 0;
    let reads = 0;
    const ring = loadedKeyRing(
      async () => {
        reads++;
        return [{ kid: `k${reads}`, secret: new Uint8Array(32) }];
      },
      { maxAgeMs: 300_000, unknownKidRetryMs: 60_000, now: () => now },
    );
    expect((await ring.current()).kid).toBe('k1');
    expect(await ring.find('k2')).toBeUndefined();
    expect(reads).toBe(1);
    now = 61_000;
    expect((await ring.find('k2'))?.kid).toBe('k2');
    expect(await ring.find('nope')).toBeUndefined();
    expect(reads).toBe(2);
    now = 61_000 + 300_000;
    expect((await ring.current()).kid).toBe('k3');
  });
});
