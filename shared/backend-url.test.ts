import { describe, expect, it } from 'vitest';
import { checkBackendUrl, isLoopbackHost } from './backend-url.ts';

describe('checkBackendUrl', () => {
  it.each([
    ['https://switchyard.example.com', 'https://switchyard.example.com'],
    ['https://switchyard.example.com/', 'https://switchyard.example.com'],
    ['  https://api.example.com/prod//  ', 'https://api.example.com/prod'],
    ['https://api.example.com:8443/v1', 'https://api.example.com:8443/v1'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.8.9.10:1', 'http://127.8.9.10:1'],
    ['http://localhost:8787/', 'http://localhost:8787'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
  ])('accepts %s as %s', (raw, url) => {
    expect(checkBackendUrl(raw)).toEqual({ ok: true, url });
  });

  it.each([
    ['', /empty/],
    ['switchyard.example.com', /not a URL/],
    ['http://switchyard.example.com', /must use https/],
    ['http://10.0.0.5:8787', /must use https/],
    ['http://127.0.0.1.nip.io', /must use https/],
    ['http://localhost.example.com', /must use https/],
    ['ftp://switchyard.example.com', /must start with https/],
    ['javascript:alert(1)', /must start with https/],
    ['https://user:secret@switchyard.example.com', /user name or password/],
    ['https://switchyard.example.com/?token=1', /query/],
    ['https://switchyard.example.com/#x', /fragment/],
  ])('refuses %s', (raw, reason) => {
    const checked = checkBackendUrl(raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.reason).toMatch(reason);
      if (raw.includes('secret')) expect(checked.reason).not.toContain('secret');
    }
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback names and addresses, and nothing else', () => {
    expect(['localhost', 'app.localhost', '127.0.0.1', '127.255.0.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['example.com', '10.0.0.1', '128.0.0.1', '[::2]', 'localhost.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
  });
});
