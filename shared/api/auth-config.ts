/** `GET /auth/config` (no authentication): the ways of signing in a deployment offers. */
import { z } from 'zod';

/** How a deployment lets people sign in: user name and password against its directory, or a Cognito user pool. */
export const SignInMethodSchema = z.enum(['directory', 'cognito']);
export type SignInMethod = z.infer<typeof SignInMethodSchema>;

/** The public part of a user pool's app client: what the extension needs to start the hosted UI. */
export const CognitoPublicSettingsSchema = z.object({
  /** The hosted UI's base URL, e.g. "https://login.example.com" or "https://x.auth.eu-west-1.amazoncognito.com". */
  domain: z.string().url(),
  clientId: z.string().min(1),
  scopes: z.array(z.string()),
});
export type CognitoPublicSettings = z.infer<typeof CognitoPublicSettingsSchema>;

export const AuthConfigResponseSchema = z.object({
  methods: z.array(SignInMethodSchema),
  /** Present when `methods` includes "cognito". */
  cognito: CognitoPublicSettingsSchema.optional(),
});
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;
