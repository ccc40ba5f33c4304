/**
 * A vitest reporter that ends every run with where the time went: each project's wall time (its
 * first file's start to its last file's end) and the sum of its files' own times, then the slowest
 * files. A file's own time is what vitest measured for it in its worker: setting up, importing, and
 * every test and hook, so it counts the servers, browsers and domains it starts, which vitest's
 * per-test times leave out, and not the time it waited for a free worker.
 */
import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node';

const SLOWEST_FILES = 15;

interface FileTime {
  project: string;
  file: string;
  tests: number;
  state: string;
  started: number;
  ended: number;
}

export default class TimingReporter implements Reporter {
  private readonly files: FileTime[] = [];
  private runStarted = 0;

  onTestRunStart(): void {
    this.runStarted = performance.now();
  }

  onTestModuleEnd(module: TestModule): void {
    const ended = performance.now();
    const d = module.diagnostic();
    const own = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    this.files.push({
      project: module.project.name || '(root)',
      file: module.relativeModuleId,
      tests: [...module.children.allTests()].length,
      state: module.state(),
      started: ended - own,
      ended,
    });
  }

  onTestRunEnd(_modules: readonly TestModule[], _errors: readonly unknown[], reason: TestRunEndReason): void {
    if (this.files.length === 0) return;
    const lines = ['', `Time per project (${reason}; wall: first file's start to last file's end; files: the sum of each file's own time)`];
    const projects = [...new Set(this.files.map((f) => f.project))];
    const width = Math.max(...projects.map((p) => p.length), 'all'.length);
    for (const project of projects) {
      const files = this.files.filter((f) => f.project === project);
      const wall = Math.max(...files.map((f) => f.ended)) - Math.min(...files.map((f) => f.started));
      const own = files.reduce((sum, f) => sum + f.ended - f.started, 0);
      lines.push(`  ${project.padEnd(width)}  ${String(files.length).padStart(4)} files  wall ${seconds(wall)}  files ${seconds(own)}`);
    }
    lines.push(`  ${'all'.padEnd(width)}  ${String(this.files.length).padStart(4)} files  wall ${seconds(performance.now() - this.runStarted)}`);
    lines.push(`Slowest files (own time):`);
    const slowest = [...this.files].sort((a, b) => b.ended - b.started - (a.ended - a.started)).slice(0, SLOWEST_FILES);
    for (const f of slowest) {
      const mark = f.state === 'passed' ? '' : `  [${f.state}]`;
      lines.push(`  ${seconds(f.ended - f.started)}  ${f.project.padEnd(width)}  ${f.file} (${f.tests} tests)${mark}`);
    }
    console.log(lines.join('\n'));
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;
