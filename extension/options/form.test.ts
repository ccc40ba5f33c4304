import { describe, expect, it } from 'vitest';
import { buildTimeSettings } from '../settings/settings.ts';
import type { ResolvedSettings } from '../settings/settings.ts';
import { changesFrom, draftFrom, mergeLocked } from './form.ts';

const policyLocked: ResolvedSettings = {
  values: {
    apiUrl: 'https://policy.example.com',
    signInMethod: 'cognito',
    cognito: { domain: 'https://login.example.com', clientId: 'client-1', scopes: ['openid', 'email'] },
    openMode: 'new-tab',
    firefoxContainers: false,
    consoleSessionMode: 'automatic',
    reuseOpenSessions: true,
  },
  lockedByPolicy: ['apiUrl', 'cognito'],
  problems: [],
};

describe('the options form', () => {
  it('shows the settings in force', () => {
    expect(draftFrom(policyLocked)).toEqual({
      apiUrl: 'https://policy.example.com',
      signInMethod: 'cognito',
      cognitoDomain: 'https://login.example.com',
      cognitoClientId: 'client-1',
      cognitoScopes: 'openid email',
      defaultRegion: '',
      openMode: 'new-tab',
      firefoxContainers: false,
      consoleSessionMode: 'automatic',
      reuseOpenSessions: true,
    });
  });

  it('saves only what policy does not set', () => {
    const draft = { ...draftFrom(policyLocked), apiUrl: 'https://typed.example.com', openMode: 'new-window' as const, defaultRegion: ' eu-west-1 ' };
    expect(changesFrom(draft, policyLocked.lockedByPolicy)).toEqual({
      signInMethod: 'cognito',
      defaultRegion: 'eu-west-1',
      openMode: 'new-window',
      firefoxContainers: false,
      consoleSessionMode: 'automatic',
      reuseOpenSessions: true,
    });
  });

  it('turns emptied fields into "back to the default", and Cognito fields into one setting', () => {
    const draft = {
      ...draftFrom(buildTimeSettings('http://127.0.0.1:8787')),
      apiUrl: '  ',
      cognitoDomain: 'https://login.example.com',
      cognitoClientId: ' abc ',
      cognitoScopes: 'openid, profile',
    };
    const changes = changesFrom(draft, []);
    expect(changes.apiUrl).toBeUndefined();
    expect('apiUrl' in changes).toBe(true);
    expect(changes.cognito).toEqual({ domain: 'https://login.example.com', clientId: 'abc', scopes: ['openid', 'profile'] });
    expect(changesFrom({ ...draft, cognitoDomain: '', cognitoClientId: '' }, []).cognito).toBeUndefined();
  });

  it("replaces what the person typed by policy's value when policy locks a setting while the page is open", () => {
    const typed = { ...draftFrom(buildTimeSettings()), apiUrl: 'https://typed.example.com', defaultRegion: 'us-east-1' };
    const merged = mergeLocked(typed, policyLocked);
    expect(merged.apiUrl).toBe('https://policy.example.com');
    expect(merged.cognitoClientId).toBe('client-1');
    expect(merged.defaultRegion).toBe('us-east-1');
  });
});
