import type { ConsoleBroker } from './console-broker.ts';
import { makeFederationSignIn, type FederationSignInDeps } from './federation-sign-in.ts';
import { makeWebIdentityCredentials, type WebIdentityCredentialsDeps } from './web-identity-credentials.ts';

/** docs/architecture.md, flow 3: developer-identity token -> AssumeRoleWithWebIdentity -> federation endpoint. */
export function makeWebIdentityBroker(deps: WebIdentityCredentialsDeps & FederationSignInDeps): ConsoleBroker {
  const credentialsFor = makeWebIdentityCredentials(deps);
  const loginUrl = makeFederationSignIn(deps);
  return {
    async signInUrl(request) {
      const credentials = await credentialsFor(request);
      return loginUrl(credentials, request);
    },
  };
}
