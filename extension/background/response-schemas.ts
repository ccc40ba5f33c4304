/**
 * Runtime checks for the backend's success answers, mirroring shared/api/contract.ts.
 * Extra fields are allowed so an older extension keeps working against a newer backend.
 */
import { z } from 'zod';
import type {
  AuthConfigResponse,
  Entitlement,
  EntitlementsResponse,
  FederateResponse,
  SessionResponse,
  SessionUser,
  SignOutResponse,
} from '../../shared/api/contract.ts';

const SignInMethodSchema = z.enum(['directory', 'cognito']);

export const EntitlementSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  color: z.string().optional(),
  regions: z.array(z.string()),
  permissionSet: z.string(),
  description: z.string().optional(),
  sessionDurationSeconds: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
  ouPath: z.string().optional(),
});

export const SessionUserSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  groups: z.array(z.string()),
});

export const SessionResponseSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
  refreshToken: z.string().min(1).optional(),
  refreshExpiresAt: z.string().optional(),
  source: SignInMethodSchema,
  user: SessionUserSchema,
  entitlements: z.array(EntitlementSchema),
});

export const EntitlementsResponseSchema = z.object({
  user: SessionUserSchema,
  entitlements: z.array(EntitlementSchema),
});

export const FederateResponseSchema = z.object({ url: z.string() });

export const AuthConfigResponseSchema = z.object({
  methods: z.array(SignInMethodSchema),
  cognito: z
    .object({
      domain: z.string().url(),
      clientId: z.string().min(1),
      scopes: z.array(z.string()),
    })
    .optional(),
});

export const SignOutResponseSchema = z.object({ ok: z.literal(true) });

export const ApiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

// Compile-time guards: the schemas must produce exactly the contract's types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _entitlement: Same<z.infer<typeof EntitlementSchema>, Entitlement> = true;
const _user: Same<z.infer<typeof SessionUserSchema>, SessionUser> = true;
const _session: Same<z.infer<typeof SessionResponseSchema>, SessionResponse> = true;
const _entitlements: Same<z.infer<typeof EntitlementsResponseSchema>, EntitlementsResponse> = true;
const _federate: Same<z.infer<typeof FederateResponseSchema>, FederateResponse> = true;
const _authConfig: Same<z.infer<typeof AuthConfigResponseSchema>, AuthConfigResponse> = true;
const _signOut: Same<z.infer<typeof SignOutResponseSchema>, SignOutResponse> = true;
