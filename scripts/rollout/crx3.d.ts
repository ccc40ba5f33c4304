/** crx3 1.1 ships no types; the one call scripts/rollout/package.ts makes. */
declare module 'crx3' {
  interface Crx3Options {
    keyPath: string;
    crxPath: string;
    zipPath?: string;
  }
  interface Crx3Result {
    appId: string;
  }
  export default function crx3(files: string[], options: Crx3Options): Promise<Crx3Result>;
}
