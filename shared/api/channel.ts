/**
 * Which client asked for access to a role, as every federation audit record names it: `console` (the
 * browser extension), `cli` (the `switchyard` command for people) or `web` (the web page). The client
 * says so in the `X-Switchyard-Channel` header; a route that is not told assumes the client it is
 * normally called by (README "HTTP API"). A value outside these three is a 400.
 */
import { z } from 'zod';

export const CHANNEL_HEADER = 'x-switchyard-channel';

export const ChannelSchema = z.enum(['console', 'cli', 'web']);
export type Channel = z.infer<typeof ChannelSchema>;
