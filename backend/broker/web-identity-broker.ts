/**
 * The default broker (docs/architecture.md, flow 3): a developer-identity token tagged with the target,
 * AssumeRoleWithWebIdentity on the target role, the federation endpoint. Its steps are also exposed one by
 * one (BrokerSteps) for `switchyard doctor`.
 */
import type { AppLogger } from '../logging.ts';
import type { BrokerSteps, ConsoleBroker, RoleCredentials, RoleRequest } from './console-broker.ts';
import { makeFederationSignIn, type FederationSignInDeps } from './federation-sign-in.ts';
import { sessionNameFor } from './session-name.ts';
import { makeWebIdentityCredentials, type WebIdentityCredentialsDeps } from './web-identity-credentials.ts';

export type WebIdentityBrokerDeps = WebIdentityCredentialsDeps &
  FederationSignInDeps & {
    /** False when the federation endpoint is a stand-in (SWITCHYARD_FEDERATION_ENDPOINT). */
    federationIsAws: boolean;
    logger?: AppLogger;
  };

/** Ids whose session name had to be mapped and were logged; bounded so a flood of odd ids cannot grow it forever. */
const MAX_REMEMBERED_MAPPINGS = 10_000;

export function makeWebIdentitySteps(deps: WebIdentityBrokerDeps): BrokerSteps {
  const credentials = makeWebIdentityCredentials(deps);
  const federation = makeFederationSignIn(deps);
  return {
    description: `Cognito developer-identity tokens (identity pool ${deps.identityPoolId}, provider ${deps.developerProviderName})`,
    federationIsAws: deps.federationIsAws,
    roleArn: credentials.roleArn,
    mintToken: credentials.mintToken,
    assumeRole: credentials.assumeRole,
    signinToken: federation.signinToken,
  };
}

export function makeWebIdentityBroker(deps: WebIdentityBrokerDeps): ConsoleBroker {
  const steps = makeWebIdentitySteps(deps);
  const federation = makeFederationSignIn(deps);
  const logged = new Set<string>();

  /** The one path to a role for a person: a token for the target, then AssumeRoleWithWebIdentity. */
  async function assume(request: RoleRequest, timed: Timed): Promise<Omit<RoleCredentials, 'upstreamMs'>> {
    const { sessionName, person } = sessionNameFor(request.user.id, request.requestId);
    if (person.mapped && !logged.has(request.user.id) && logged.size < MAX_REMEMBERED_MAPPINGS) {
      logged.add(request.user.id);
      deps.logger?.info('session name mapped', { user: request.user.id, sessionNamePerson: person.value });
    }
    const token = await timed(() => steps.mintToken(request, request.user.id));
    const credentials = await timed(() => steps.assumeRole(request, token, { sessionName, durationSeconds: request.sessionDurationSeconds }));
    return { credentials, sessionName, ...(token.subject ? { webIdentity: token.subject } : {}) };
  }

  return {
    async credentials(request) {
      const timer = upstreamTimer();
      const role = await assume(request, timer.timed);
      return { ...role, upstreamMs: timer.total() };
    },
    async signIn(request) {
      const timer = upstreamTimer();
      const { credentials, ...role } = await assume(request, timer.timed);
      const signinToken = await timer.timed(() => steps.signinToken(credentials, request.sessionDurationSeconds));
      return { ...role, url: federation.loginUrl(signinToken, request.destinationUrl), upstreamMs: timer.total() };
    },
  };
}

type Timed = <T>(work: () => Promise<T>) => Promise<T>;

/** Adds up the time spent in AWS calls, in milliseconds to one decimal. */
function upstreamTimer(): { timed: Timed; total: () => number } {
  let upstreamMs = 0;
  const timed: Timed = async (work) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      upstreamMs += performance.now() - started;
    }
  };
  return { timed, total: () => Math.round(upstreamMs * 10) / 10 };
}
