/**
 * The web page as the API serves it, over real HTTP from the local stack (a real build of web/): where
 * it is, what it is sent with (Content-Security-Policy, no framing, no Referer, the cache), that nothing
 * but its own files is served under its paths, and that the API's own answers are as before beside it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { get, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_PAGE_CSP } from '../../backend/api/web-page.ts';
import { startLocalStack, type LocalStack } from '../../backend/local/stack.ts';
import { buildWebPage } from '../../scripts/build/web-page.ts';

let stack: LocalStack;
let build: string;
let index: string;

beforeAll(async () => {
  build = await mkdtemp(join(tmpdir(), 'switchyard-web-page-'));
  await buildWebPage(build);
  stack = await startLocalStack({ apiPort: 0, webPageDir: build });
  index = await (await fetch(`${stack.apiUrl}/`)).text();
});

afterAll(async () => {
  await stack?.stop();
  if (build) await rm(build, { recursive: true, force: true });
});

/** A GET whose body comes as it was sent (fetch would decode it). */
function rawGet(url: string, acceptEncoding: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** The files index.html loads: its scripts, stylesheets and icon. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1] as string);
}

describe('the web page', () => {
  it("is at the API's root: index.html, revalidated on every load, with its security headers", async () => {
    const answer = await fetch(`${stack.apiUrl}/`, { headers: { origin: 'https://evil.example' } });
    expect(answer.status).toBe(200);
    expect(Object.fromEntries(answer.headers)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': WEB_PAGE_CSP,
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
    });
    // Same origin only: another site's page gets no CORS answer.
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(await answer.text()).toBe(await readFile(join(build, 'index.html'), 'utf8'));
  });

  it('has a policy that allows only its own files: no inline script or style, no eval, no framing, no other origin', () => {
    const directives = Object.fromEntries(
      WEB_PAGE_CSP.split(';')
        .map((directive) => directive.trim().split(/\s+/) as [string, ...string[]])
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    for (const name of ['script-src', 'style-src', 'connect-src', 'img-src']) expect(directives[name], name).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(WEB_PAGE_CSP).not.toMatch(/unsafe-|data:|\*/);
  });

  it('has no inline script, style element or style attribute in its HTML', () => {
    expect(index).toMatch(/<script type="module" crossorigin src="\.\/assets\/[\w-]+\.js"><\/script>/);
    expect([...index.matchAll(/<script\b[^>]*>/g)].every((tag) => /\ssrc="/.test(tag[0]))).toBe(true);
    expect(index).not.toMatch(/<style\b|\sstyle=|\son\w+=|javascript:/i);
  });

  it('serves each file the page loads with its type, cached for good (its name carries its hash)', async () => {
    const assets = assetsOf(index);
    expect(assets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(assets.some((path) => path.endsWith('.css'))).toBe(true);
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
    for (const path of assets) {
      const answer = await fetch(`${stack.apiUrl}/${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('content-type'), path).toBe(types[path.slice(path.lastIndexOf('.') + 1)]);
      expect(answer.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(Buffer.from(await answer.arrayBuffer()).equals(await readFile(join(build, path))), path).toBe(true);
    }
  });

  it('sends the compressed copy a browser accepts, and the plain file to one that accepts none', async () => {
    const script = assetsOf(index).find((path) => path.endsWith('.js')) ?? '';
    const plain = await readFile(join(build, script));
    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const answer = await rawGet(`${stack.apiUrl}/${script}`, encoding);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(decode(answer.body).equals(plain)).toBe(true);
      expect(answer.body.length).toBeLessThan(plain.length);
    }
    const identity = await rawGet(`${stack.apiUrl}/${script}`, 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain)).toBe(true);
  });

  it('answers HEAD as GET, without the body', async () => {
    const answer = await fetch(`${stack.apiUrl}/`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await answer.text()).toBe('');
  });

  it("serves nothing else under its paths: other names, other folders, another method are the API's 404 or 405", async () => {
    const built = (await readdir(build, { recursive: true })).map(String);
    expect(built).toContain('index.html');
    for (const path of [
      '/index.html',
      '/assets/',
      '/assets/missing-1a2b3c.js',
      '/assets/../index.html',
      '/assets/%2e%2e/index.html',
      '/assets/..%2findex.html',
      '/assets/a/b.js',
      '/assets/.hidden.js',
      '/vite.config.ts',
      '/package.json',
    ]) {
      const answer = await fetch(`${stack.apiUrl}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await answer.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
    const posted = await fetch(`${stack.apiUrl}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(posted.status).toBe(404);
  });

  it("leaves the API's answers as they were: JSON, never cached, CORS for the extension only", async () => {
    const health = await fetch(`${stack.apiUrl}/health`, { headers: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect(health.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(health.headers.get('x-frame-options')).toBe('DENY');
    const foreign = await fetch(`${stack.apiUrl}/health`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
