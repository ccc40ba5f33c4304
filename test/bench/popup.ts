/**
 * The popup at 100, 2,000, 10,000 and 100,000 cached entries, in real Chromium (`npm run bench -- popup`):
 *   - open -> list drawn, and DOM ready -> list drawn (median and p95 over several opens);
 *   - one search keystroke -> list updated (median, p95), and its script-and-layout part;
 *   - rows in the DOM, and rows the background refresh re-rendered when the list did not change;
 *   - the popup's JavaScript, gzipped (what loads before the list is drawn, and in all);
 *   - the bytes storage.session holds once the list is cached, against its quota (QUOTA_BYTES).
 * "Drawn" is the first frame with the rows: rows in the DOM, then the next animation frame and the
 * task after it (the frame has been produced by then). A keystroke's script and layout run from the
 * keydown until Preact has rendered and layout is done (forced and timed in the page).
 *
 * The backend is a scripted loopback server answering /session and /entitlements with the same list,
 * so every open also sees the background refresh land unchanged, as in daily use.
 *
 * The floor: an empty extension page with the popup's own style sheet, opened in the same browser
 * between the popup's opens, whose "drawn" is the first frame after DOM ready. It is what any page costs
 * on this machine in this run; the popup's DOM ready -> drawn is also given as a ratio to it, which
 * holds across machines and load better than milliseconds do. The machine is shared: every figure is
 * a median over several opens, and the README quotes medians of several runs.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright';
import { buildExtension, loadExtension } from '../e2e/extension-harness.ts';
import { manyEntitlements } from '../fixtures/many-entitlements.ts';
import { startListBackend } from '../helpers/list-backend.ts';

/** 100,000: an admin of every account of a 10,000-account organization with ten permission sets (docs/scale.md). */
const SIZES = process.env.SIZES ? process.env.SIZES.split(',').map(Number) : [100, 2_000, 10_000, 100_000];
const OPENS = 12;
const missedBy = (median: number, goal: number) => Math.max(0, Math.round((median - goal) * 10) / 10);

const GOALS = { domReadyToDrawnMs: 25, domReadyToDrawnTimesFloor: 1.5, keystrokeScriptAndLayoutMs: 2, popupJsGzipBytes: 15 * 1024 };
/** The floor page, written beside the popup in the built extension (never shipped: the bench builds its own). */
const FLOOR_PAGE = 'bench-floor.html';
/** The keystroke's floor: the floor page with one text box (the popup's search box's id), and nothing listening to it. */
const FLOOR_INPUT_PAGE = 'bench-floor-input.html';
const QUERIES = ['payments prod', 'data dev 1', 'admin sec', 'ml stag'];

interface Stats {
  median: number;
  p95: number;
  runs: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const round = (value: number) => Math.round(value * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), runs: samples.length };
}

/** Installed before the popup's own script: watches for the first rows and for keystrokes. */
const PROBE = `(() => {
  const probe = (globalThis.__probe = { keys: [] });
  // The frame's rendering step runs right after its animation-frame callbacks, in the same task; a user-blocking
  // task posted from the callback runs as soon as that step is done, ahead of tasks the page queued earlier
  // (Preact's effects, which run after the frame and do not delay its pixels).
  const afterFrame = (done) => requestAnimationFrame(() => scheduler.postTask(() => done(performance.now()), { priority: 'user-blocking' }));
  const afterQueuedTasks = (done) => requestAnimationFrame(() => { const channel = new MessageChannel(); channel.port1.onmessage = () => done(performance.now()); channel.port2.postMessage(0); });
  let drawnRows = -1;
  new MutationObserver((records) => {
    if (probe.rowsAt === undefined && document.querySelector('[role=option]')) {
      probe.rowsAt = performance.now();
      afterQueuedTasks((at) => { probe.settledAt = at; });
      afterFrame((at) => { probe.drawnAt = at; drawnRows = document.querySelectorAll('[role=option]').length; });
    } else if (probe.drawnAt !== undefined && !probe.typing) {
      for (const record of records) for (const node of [...record.addedNodes, ...record.removedNodes]) if (node.nodeType === 1 && node.getAttribute('role') === 'option') probe.rerenderedRows = (probe.rerenderedRows || 0) + 1;
    }
  }).observe(document, { subtree: true, childList: true });
  document.addEventListener('DOMContentLoaded', () => afterFrame((at) => { probe.readyFrameAt = at; }));
  let pending;
  addEventListener('keydown', (event) => { pending = { start: performance.now(), stamp: event.timeStamp }; }, true);
  addEventListener('input', () => {
    const key = pending; if (!key) return;
    Promise.resolve().then(() => Promise.resolve()).then(() => {
      void document.documentElement.offsetHeight;
      key.scriptAndLayout = performance.now() - key.start;
      afterFrame((at) => { key.updated = at - key.stamp; key.rows = document.querySelectorAll('[role=option]').length; probe.keys.push(key); });
    });
  });
})();`;

interface OpenFigures {
  /** Milestones after navigation start: the popup's script ran (DOM interactive), DOM ready, cache read, first render done. */
  scriptStart: number;
  domReady: number;
  cacheRead: number;
  rendered: number;
  /** The rows are in the DOM. */
  rowsAt: number;
  /** The frame is drawn and the tasks the page queued before it have run (Preact's effects): the main thread is free. */
  settled: number;
  openToDrawn: number;
  domReadyToDrawn: number;
  rowsInDom: number;
  rerenderedRows: number;
}

async function openOnce(openPopup: () => Promise<Page>): Promise<{ page: Page; figures: OpenFigures }> {
  const page = await openPopup();
  await page.waitForFunction(() => (globalThis as unknown as { __probe: { settledAt?: number } }).__probe.settledAt !== undefined, undefined, {
    timeout: 30_000,
  });
  // Let the background refresh land (the sync indicator goes away), then read what it re-rendered.
  await page.waitForFunction(() => !document.querySelector('.sync.refreshing'), undefined, { timeout: 30_000 });
  await page.waitForTimeout(100);
  const figures = await page.evaluate(() => {
    const probe = (globalThis as unknown as { __probe: { drawnAt: number; rerenderedRows?: number } }).__probe;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      scriptStart: navigation.domInteractive,
      domReady: navigation.domContentLoadedEventStart,
      cacheRead: performance.getEntriesByName('switchyard:cache-read')[0]?.startTime ?? NaN,
      rendered: performance.getEntriesByName('switchyard:rendered')[0]?.startTime ?? NaN,
      openToDrawn: probe.drawnAt,
      domReadyToDrawn: probe.drawnAt - navigation.domContentLoadedEventStart,
      rowsInDom: document.querySelectorAll('[role=option]').length,
      rerenderedRows: probe.rerenderedRows ?? 0,
      rowsAt: (probe as unknown as { rowsAt: number }).rowsAt,
      settled: (probe as unknown as { settledAt: number }).settledAt,
    };
  });
  return { page, figures };
}

/** The floor: the empty page with the popup's style sheet, DOM ready -> its first frame. */
async function openFloor(openPage: () => Promise<Page>): Promise<number> {
  const page = await openPage();
  await page.waitForFunction(() => (globalThis as unknown as { __probe: { readyFrameAt?: number } }).__probe.readyFrameAt !== undefined, undefined, {
    timeout: 30_000,
  });
  const domReadyToDrawn = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return (globalThis as unknown as { __probe: { readyFrameAt: number } }).__probe.readyFrameAt - navigation.domContentLoadedEventStart;
  });
  await page.close();
  return domReadyToDrawn;
}

/** Writes the floor pages: the popup's HTML with its style sheet and no script; and the same with a text box. */
async function writeFloorPages(dir: string): Promise<void> {
  const html = await readFile(join(dir, 'extension/popup/index.html'), 'utf8');
  const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<link[^>]+rel="modulepreload"[^>]*>/g, '');
  if (!/<link[^>]+rel="stylesheet"/.test(withoutScripts)) throw new Error('the popup page links no style sheet');
  const floor = withoutScripts.replace(/(href|src)="\/?(?!\/)/g, '$1="/');
  await writeFile(join(dir, FLOOR_PAGE), floor);
  await writeFile(join(dir, FLOOR_INPUT_PAGE), floor.replace('<div id="app"></div>', '<div id="app"><input id="search" type="text" /></div>'));
}

/** Types each query key by key, then three backspaces and Escape. Per key that changed the text: its figures, and whether it was a query's first letter (the key that searches every row). */
async function keystrokes(page: Page): Promise<{ updated: number[]; scriptAndLayout: number[]; firstLetter: boolean[] }> {
  await page.evaluate(() => ((globalThis as unknown as { __probe: { typing: boolean } }).__probe.typing = true));
  await page.waitForTimeout(300); // search loads and indexes after the first frame
  await page.focus('#search');
  const firstLetter: boolean[] = [];
  const key = async (typing: Promise<void>, first = false) => {
    await typing;
    await page.waitForTimeout(30);
    firstLetter.push(first);
  };
  for (const query of QUERIES) {
    for (const [at, char] of [...query].entries()) await key(page.keyboard.type(char), at === 0);
    for (let i = 0; i < 3; i++) await key(page.keyboard.press('Backspace'));
    await page.keyboard.press('Escape');
    await page.waitForTimeout(30);
  }
  const keys = await page.evaluate(
    () => (globalThis as unknown as { __probe: { keys: { updated: number; scriptAndLayout: number }[] } }).__probe.keys,
  );
  if (keys.length !== firstLetter.length) throw new Error(`typed ${firstLetter.length} keys, the page saw ${keys.length}`);
  return { updated: keys.map((key) => key.updated), scriptAndLayout: keys.map((key) => key.scriptAndLayout), firstLetter };
}

/** The popup's JavaScript: the page's scripts and what they import statically (loaded before the list is drawn), then the lazy chunks. */
async function popupJavaScript(
  dir: string,
): Promise<{ initialGzipBytes: number; totalGzipBytes: number; files: Record<string, number>; initialFiles: string[] }> {
  const page = 'extension/popup/index.html';
  const html = await readFile(join(dir, page), 'utf8');
  // Every script the page names (its classic boot script and its module entry), from the root or beside the page.
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map(([, src = '']) =>
    src.startsWith('/') ? src.slice(1) : join(page, '..', src).replaceAll('\\', '/'),
  );
  if (scripts.length === 0) throw new Error('the popup page loads no script');
  const files: Record<string, number> = {};
  const initial = new Set<string>();
  const all = new Set<string>();
  const visit = async (file: string, lazy: boolean) => {
    if (all.has(file) && (lazy || initial.has(file))) return;
    all.add(file);
    if (!lazy) initial.add(file);
    const code = await readFile(join(dir, file), 'utf8');
    files[file] = gzipSync(code, { level: 9 }).length;
    const base = file.slice(0, file.lastIndexOf('/') + 1);
    for (const [, path] of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{},\s]+from\s*)?["']\.\/([^"']+)["']/g)) await visit(base + path, lazy);
    for (const [, path] of code.matchAll(/import\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g)) await visit(base + path, true);
  };
  for (const script of scripts) await visit(script, false);
  const sum = (set: Set<string>) => [...set].reduce((total, file) => total + (files[file] ?? 0), 0);
  return { initialGzipBytes: sum(initial), totalGzipBytes: sum(all), files, initialFiles: [...initial] };
}

export async function run(): Promise<Record<string, unknown>> {
  const user = { id: 'bench@corp.example.com', displayName: 'Bench', groups: ['Everyone'] };
  const backend = await startListBackend(user);
  const dir = await buildExtension(backend.url);
  await writeFloorPages(dir);
  const extension = await loadExtension(dir);
  const floorUrl = new URL(`/${FLOOR_PAGE}`, extension.popupUrl).href;
  const openPage = async (url: string) => {
    const page = await extension.context.newPage();
    await page.setViewportSize({ width: 380, height: 600 });
    await page.goto(url);
    return page;
  };
  const openFloorPage = () => openPage(floorUrl);
  const floorInputUrl = new URL(`/${FLOOR_INPUT_PAGE}`, extension.popupUrl).href;
  await extension.context.addInitScript(PROBE);
  const sizes: Record<string, unknown> = {};
  try {
    for (const size of SIZES) {
      backend.serve(manyEntitlements(size));
      const setup = await extension.openPopup();
      const signedIn = await setup.evaluate(() =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean }> } } }).chrome.runtime.sendMessage({
          type: 'session/sign-in',
          credentials: { username: 'bench', password: 'bench' },
        }),
      );
      if (!signedIn.ok) throw new Error(`the background did not sign in: ${JSON.stringify(signedIn)}`);
      const storage = await setup.evaluate(async () => {
        const area = (
          globalThis as unknown as { chrome: { storage: { session: { QUOTA_BYTES: number; getBytesInUse(keys: null): Promise<number> } } } }
        ).chrome.storage.session;
        return { bytesInUse: await area.getBytesInUse(null), quotaBytes: area.QUOTA_BYTES };
      });
      await setup.close();

      const opens: OpenFigures[] = [];
      const floor: number[] = [];
      const updated: number[] = [];
      const scriptAndLayout: number[] = [];
      const floorScriptAndLayout: number[] = [];
      const firstLetters: number[] = [];
      const typingOn: number[] = [];
      for (let run = 0; run <= OPENS; run++) {
        const floorFigure = await openFloor(openFloorPage);
        const { page, figures } = await openOnce(() => extension.openPopup());
        // The first open warms the browser's caches.
        if (run > 0) {
          opens.push(figures);
          floor.push(floorFigure);
        }
        if (run === 1 || run === 2) {
          const typed = await keystrokes(page);
          updated.push(...typed.updated);
          scriptAndLayout.push(...typed.scriptAndLayout);
          typed.scriptAndLayout.forEach((ms, at) => (typed.firstLetter[at] ? firstLetters : typingOn).push(ms));
          const floorPage = await openPage(floorInputUrl);
          floorScriptAndLayout.push(...(await keystrokes(floorPage)).scriptAndLayout);
          await floorPage.close();
        }
        await page.close();
      }
      const domReadyToDrawnMs = stats(opens.map((open) => open.domReadyToDrawn));
      const floorMs = stats(floor);
      const figures = {
        openToDrawnMs: stats(opens.map((open) => open.openToDrawn)),
        domReadyToDrawnMs,
        floorDomReadyToDrawnMs: floorMs,
        domReadyToDrawnTimesFloor: Math.round((domReadyToDrawnMs.median / floorMs.median) * 100) / 100,
        keystrokeToUpdatedMs: stats(updated),
        keystrokeScriptAndLayoutMs: stats(scriptAndLayout),
        /** The same, split: a query's first letter (every row searched), and every other key (typing on, backspace). */
        firstLetterScriptAndLayoutMs: stats(firstLetters),
        otherKeysScriptAndLayoutMs: stats(typingOn),
        /** The same keys typed into a text box nothing listens to, on the floor page: what the browser takes alone. */
        floorKeystrokeScriptAndLayoutMs: stats(floorScriptAndLayout),
        milestonesMs: {
          domInteractive: stats(opens.map((open) => open.scriptStart)).median,
          domReady: stats(opens.map((open) => open.domReady)).median,
          cacheRead: stats(opens.map((open) => open.cacheRead)).median,
          firstRenderDone: stats(opens.map((open) => open.rendered)).median,
          drawn: stats(opens.map((open) => open.openToDrawn)).median,
          rowsInDom: stats(opens.map((open) => open.rowsAt)).median,
          drawnAndQueuedTasksRun: stats(opens.map((open) => open.settled)).median,
        },
        rowsInDom: Math.max(...opens.map((open) => open.rowsInDom)),
        rowsRerenderedByUnchangedRefresh: Math.max(...opens.map((open) => open.rerenderedRows)),
        storageSession: { ...storage, shareOfQuota: Math.round((storage.bytesInUse / storage.quotaBytes) * 1000) / 1000 },
      };
      sizes[String(size)] = figures;
      console.log(`        milestones after open (ms): ${JSON.stringify(figures.milestonesMs)}`);
      console.log(
        `${String(size).padStart(6)} entries: open->drawn ${figures.openToDrawnMs.median} ms (p95 ${figures.openToDrawnMs.p95}), ` +
          `DOM ready->drawn ${figures.domReadyToDrawnMs.median} ms (p95 ${figures.domReadyToDrawnMs.p95}; floor ${floorMs.median} ms, x${figures.domReadyToDrawnTimesFloor}), ` +
          `keystroke ${figures.keystrokeToUpdatedMs.median} ms (p95 ${figures.keystrokeToUpdatedMs.p95}), ` +
          `its script+layout ${figures.keystrokeScriptAndLayoutMs.median} ms (p95 ${figures.keystrokeScriptAndLayoutMs.p95}; floor ${figures.floorKeystrokeScriptAndLayoutMs.median} ms; ` +
          `a query's first letter ${figures.firstLetterScriptAndLayoutMs.median} ms, the other keys ${figures.otherKeysScriptAndLayoutMs.median} ms), ` +
          `${figures.rowsInDom} rows in the DOM, ${figures.rowsRerenderedByUnchangedRefresh} re-rendered by the refresh, ` +
          `storage.session ${storage.bytesInUse} B of ${storage.quotaBytes} B`,
      );
    }
    const javaScript = await popupJavaScript(dir);
    console.log(`popup JavaScript, gzipped: ${javaScript.initialGzipBytes} B before the list is drawn, ${javaScript.totalGzipBytes} B in all`);
    const at = (size: number) =>
      sizes[String(size)] as {
        domReadyToDrawnMs: Stats;
        domReadyToDrawnTimesFloor: number;
        keystrokeScriptAndLayoutMs: Stats;
        milestonesMs: Record<'domReady' | 'cacheRead' | 'firstRenderDone' | 'drawn', number>;
      };
    /** After open: DOM ready; the entry has its list (a head or the whole list); the rows are in the DOM; the frame with them is drawn. */
    const whereTheTimeGoes = (size: number) => {
      const { domReady, cacheRead, firstRenderDone, drawn } = at(size).milestonesMs;
      const ms = (value: number) => Math.round(value * 10) / 10;
      return { domReady: ms(domReady), listInHand: ms(cacheRead), rendered: ms(firstRenderDone), drawn: ms(drawn) };
    };
    const domReadyToDrawnGoal = (size: number) => {
      const { median } = at(size).domReadyToDrawnMs;
      return {
        goalMs: GOALS.domReadyToDrawnMs,
        medianMs: median,
        met: median <= GOALS.domReadyToDrawnMs,
        missedByMs: missedBy(median, GOALS.domReadyToDrawnMs),
        whereTheTimeGoesAfterOpenMs: whereTheTimeGoes(size),
      };
    };
    // The goals are at 2,000 and 10,000 entries (and 100 for comparison): a run of other sizes (SIZES=...) has none.
    const goals = [100, 2_000, 10_000].every((size) => sizes[String(size)]) ? goalsMet() : undefined;
    function goalsMet() {
      return {
        domReadyToDrawnWithin25MsAt2000: domReadyToDrawnGoal(2_000),
        domReadyToDrawnWithin25MsAt10000: domReadyToDrawnGoal(10_000),
        domReadyToDrawnWithin1Point5TimesTheFloorAt10000: {
          goalTimesFloor: GOALS.domReadyToDrawnTimesFloor,
          timesFloor: at(10_000).domReadyToDrawnTimesFloor,
          met: at(10_000).domReadyToDrawnTimesFloor <= GOALS.domReadyToDrawnTimesFloor,
          at2000TimesFloor: at(2_000).domReadyToDrawnTimesFloor,
        },
        keystrokeScriptAndLayoutWithin2MsAt10000: {
          goalMs: GOALS.keystrokeScriptAndLayoutMs,
          medianMs: at(10_000).keystrokeScriptAndLayoutMs.median,
          met: at(10_000).keystrokeScriptAndLayoutMs.median <= GOALS.keystrokeScriptAndLayoutMs,
          missedByMs: missedBy(at(10_000).keystrokeScriptAndLayoutMs.median, GOALS.keystrokeScriptAndLayoutMs),
          at100EntriesMs: at(100).keystrokeScriptAndLayoutMs.median,
          floorAt10000Ms: (sizes['10000'] as { floorKeystrokeScriptAndLayoutMs: Stats }).floorKeystrokeScriptAndLayoutMs.median,
        },
        // The popup issue's goals at 100,000 entries (an admin of every account of 10,000 accounts, docs/scale.md).
        ...(sizes['100000']
          ? {
              sameGoalsAt100000: {
                domReadyToDrawnMs: at(100_000).domReadyToDrawnMs.median,
                domReadyToDrawnTimesFloor: at(100_000).domReadyToDrawnTimesFloor,
                keystrokeScriptAndLayoutMs: at(100_000).keystrokeScriptAndLayoutMs.median,
                met:
                  at(100_000).domReadyToDrawnMs.median <= GOALS.domReadyToDrawnMs &&
                  at(100_000).domReadyToDrawnTimesFloor <= GOALS.domReadyToDrawnTimesFloor &&
                  at(100_000).keystrokeScriptAndLayoutMs.median <= GOALS.keystrokeScriptAndLayoutMs,
              },
            }
          : {}),
        popupJsUnder15KbGzipped: {
          goalBytes: GOALS.popupJsGzipBytes,
          beforeListDrawnBytes: javaScript.initialGzipBytes,
          totalBytes: javaScript.totalGzipBytes,
          met: javaScript.initialGzipBytes <= GOALS.popupJsGzipBytes,
          missedByBytes: Math.max(0, javaScript.initialGzipBytes - GOALS.popupJsGzipBytes),
          beforeListDrawnByFile: Object.fromEntries(javaScript.initialFiles.map((file) => [file, javaScript.files[file]])),
        },
      };
    }
    return {
      sizes,
      javaScript,
      goals,
      method: { opensPerSize: OPENS, keystrokeQueries: QUERIES, browser: 'Chromium (headless), popup page in a 380x600 tab' },
    };
  } finally {
    await extension.close();
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
}
