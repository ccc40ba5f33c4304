#!/usr/bin/env node
// The `switchyard` CLI: runs the TypeScript sources through tsx (no build step for admins).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../backend/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
