import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapIdentifier, MAX_SESSION_NAME_LENGTH, newRequestId, sessionNameFor, userTagValue } from './session-name.ts';

const STS_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

describe('session names', () => {
  it('uses a safe id as it is, followed by + and the request id', () => {
    expect(sessionNameFor('alice@corp.example.com', 'k3j4h5g6f7d8')).toEqual({
      sessionName: 'alice@corp.example.com+k3j4h5g6f7d8',
      person: { value: 'alice@corp.example.com', mapped: false },
    });
  });

  it('maps other ids deterministically, keeping their safe part', () => {
    const mapped = sessionNameFor('CORP\\Jürgen Müller', 'k3j4h5g6f7d8');
    expect(mapped.person.mapped).toBe(true);
    expect(mapped.sessionName).toMatch(/^CORP_J_rgen_M_ller-[0-9a-f]{8}\+k3j4h5g6f7d8$/);
    expect(sessionNameFor('CORP\\Jürgen Müller', 'aaaaaaaaaaaa').person.value).toBe(mapped.person.value);
    expect(mapIdentifier('x'.repeat(60), 51).value).toMatch(/^x{42}-[0-9a-f]{8}$/);
  });

  it('gives two different people two different names, and every name passes the STS and tag rules', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), fc.string({ minLength: 1, maxLength: 300 }), (a, b) => {
        const nameA = sessionNameFor(a, 'k3j4h5g6f7d8').sessionName;
        expect(nameA).toMatch(STS_SESSION_NAME);
        expect(nameA.length).toBeLessThanOrEqual(MAX_SESSION_NAME_LENGTH);
        expect(userTagValue(a).value).toMatch(TAG_VALUE);
        if (a !== b) expect(sessionNameFor(b, 'k3j4h5g6f7d8').sessionName).not.toBe(nameA);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('request ids', () => {
  it('are 12 characters a session name allows, and differ', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRequestId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{12}$/);
  });
});
