#!/usr/bin/env node
// The `switchyard` CLI: runs the TypeScript sources through tsx (no build step for admins).
import { register } from 'tsx/esm/api';

// The SDK is pinned to releases that support Node 20; its upgrade nag is noise for admins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../backend/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
