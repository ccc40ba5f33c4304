import { describe, expect, it } from 'vitest';
import { parseSetting, resolveSettings } from './resolve.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const NONE = {};

describe('resolveSettings', () => {
  it('reads the earlier consoleMultiSession where consoleSessionMode is unset, from the person and from policy', () => {
    const person = resolveSettings({ policy: NONE, person: { consoleMultiSession: true }, defaults: {} });
    expect(person.values.consoleSessionMode).toBe('multi-session');
    expect('consoleMultiSession' in person.values).toBe(false);
    const policy = resolveSettings({ policy: { consoleMultiSession: false }, person: { consoleSessionMode: 'multi-session' }, defaults: {} });
    expect(policy.values.consoleSessionMode).toBe('single-session');
    expect(policy.lockedByPolicy).toEqual(['consoleSessionMode']);
    const current = resolveSettings({ policy: NONE, person: { consoleMultiSession: true, consoleSessionMode: 'automatic' }, defaults: {} });
    expect(current.values.consoleSessionMode).toBe('automatic');
  });

  it('uses the build defaults when neither policy nor the person set anything', () => {
    expect(resolveSettings({ policy: NONE, person: NONE, defaults: { apiUrl: 'http://127.0.0.1:8787' } })).toEqual({
      values: { ...DEFAULT_SETTINGS, apiUrl: 'http://127.0.0.1:8787' },
      lockedByPolicy: [],
      problems: [],
    });
  });

  it('leaves the backend URL unset when the build has none and nobody set one', () => {
    const resolved = resolveSettings({ policy: NONE, person: NONE, defaults: {} });
    expect(resolved.values.apiUrl).toBeUndefined();
    expect('apiUrl' in resolved.values).toBe(false);
  });

  it("puts the person's choices over the defaults, and policy over both, locking what policy set", () => {
    const resolved = resolveSettings({
      policy: { apiUrl: 'https://policy.example.com/', openMode: 'new-window' },
      person: { apiUrl: 'https://mine.example.com', openMode: 'background-tab', defaultRegion: 'eu-west-1' },
      defaults: { apiUrl: 'http://127.0.0.1:8787' },
    });
    expect(resolved.values).toEqual({
      ...DEFAULT_SETTINGS,
      apiUrl: 'https://policy.example.com',
      openMode: 'new-window',
      defaultRegion: 'eu-west-1',
    });
    expect(resolved.lockedByPolicy.sort()).toEqual(['apiUrl', 'openMode']);
    expect(resolved.problems).toEqual([]);
  });

  it('ignores and reports an invalid policy value, without locking it, so the person can still set that setting', () => {
    const resolved = resolveSettings({
      policy: { apiUrl: 'http://switchyard.corp.example.com', openMode: 'sideways', firefoxContainers: true },
      person: { apiUrl: 'https://mine.example.com' },
      defaults: {},
    });
    expect(resolved.values.apiUrl).toBe('https://mine.example.com');
    expect(resolved.values.openMode).toBe('new-tab');
    expect(resolved.values.firefoxContainers).toBe(true);
    expect(resolved.lockedByPolicy).toEqual(['firefoxContainers']);
    expect(resolved.problems).toEqual([
      { setting: 'apiUrl', source: 'policy', message: expect.stringMatching(/must use https/) as string },
      { setting: 'openMode', source: 'policy', message: expect.stringMatching(/new-tab/) as string },
    ]);
    expect(JSON.stringify(resolved.problems)).not.toContain('corp.example.com');
  });

  it('ignores and reports an invalid value the person stored, keeping the default', () => {
    const resolved = resolveSettings({ policy: NONE, person: { defaultRegion: 'Europe', firefoxContainers: 'yes' }, defaults: {} });
    expect(resolved.values.defaultRegion).toBeUndefined();
    expect(resolved.values.firefoxContainers).toBe(false);
    expect(resolved.problems.map((problem) => [problem.setting, problem.source])).toEqual([
      ['defaultRegion', 'person'],
      ['firefoxContainers', 'person'],
    ]);
  });

  it('ignores keys that are not settings, in either layer', () => {
    const resolved = resolveSettings({ policy: { somethingElse: 1 }, person: { session: 'x' }, defaults: {} });
    expect(resolved.values).toEqual(DEFAULT_SETTINGS);
    expect(resolved.problems).toEqual([]);
  });

  it('takes the Cognito settings as one value, checked as a whole', () => {
    const cognito = { domain: 'https://login.example.com/', clientId: 'abc123', scopes: ['openid'] };
    expect(resolveSettings({ policy: { cognito }, person: NONE, defaults: {} }).values.cognito).toEqual({
      ...cognito,
      domain: 'https://login.example.com',
    });
    const broken = resolveSettings({ policy: { cognito: { domain: 'http://login.example.com', clientId: 'abc' } }, person: NONE, defaults: {} });
    expect(broken.values.cognito).toBeUndefined();
    expect(broken.problems[0]).toMatchObject({ setting: 'cognito', message: expect.stringMatching(/Cognito domain.*https.*\(domain\)/) as string });
  });
});

describe('parseSetting', () => {
  it('normalises a backend URL and refuses plain http to another machine', () => {
    expect(parseSetting('apiUrl', ' https://api.example.com/ ')).toEqual({ ok: true, value: 'https://api.example.com' });
    expect(parseSetting('apiUrl', 'http://api.example.com')).toEqual({
      ok: false,
      message: expect.stringMatching(/^the backend URL must use https/) as string,
    });
    expect(parseSetting('apiUrl', 42)).toMatchObject({ ok: false });
  });
});
