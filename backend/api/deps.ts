import type { LastUseRecorder } from '../access/last-use.ts';
import type { CliLoginCodes } from '../auth/cli-login-codes.ts';
import type { CognitoSignIn } from '../auth/cognito-sign-in.ts';
import type { Directory } from '../auth/directory.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { SignInLimiter } from '../auth/sign-in-limiter.ts';
import type { ConsoleBroker } from '../broker/console-broker.ts';
import type { AppLogger } from '../logging.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { PolicySource } from '../api-policy/policy-source.ts';
import type { StateTable } from '../state/state-table.ts';
import type { Elevation } from '../elevation/elevation.ts';
import type { Partition } from '../../shared/console/partitions.ts';
import type { WebPageFiles } from './web-page.ts';

export interface ApiDeps {
  /** Sign-in with user name and password; absent when the deployment offers none (SWITCHYARD_DIRECTORY=none). */
  directory?: Directory;
  /** Sign-in with a Cognito user pool's hosted UI; absent when not configured. */
  cognito?: CognitoSignIn;
  sessions: Sessions;
  /** Slows down repeated password failures per user name. */
  signInLimiter: SignInLimiter;
  /** A refused password sign-in is answered this long after it arrived (not sooner), so its timing says nothing. */
  refusalMs: number;
  policy: PolicySource;
  broker: ConsoleBroker;
  /** What every API instance shares and writes under a condition (backend/state/layout.ts). */
  state: StateTable;
  /** Records each successful click's time and channel after the answer (the access review's last use). */
  lastUse: LastUseRecorder;
  /** Requests for eligible pairs, and the grant check of every click on one (docs/elevation.md). */
  elevation: Elevation;
  /** Extension origins CORS lets read the answers (default: any extension). */
  allowedOrigins?: string[];
  logger: AppLogger;
  /** Federation and credential answers by status, sign-in failures, the limiter's refusals (backend/metrics/). */
  metrics: Metrics;
  /** Console region when neither the request nor the account names one. */
  defaultRegion: string;
  /** The deployment's partition: the only one whose regions and consoles /federate accepts. */
  partition: Partition;
  /** The one-time codes of the CLI's sign-in handoff, kept in the state table. */
  cliLoginCodes: CliLoginCodes;
  /** The web page's built files, served at / and /assets/ (docs/web-page.md); absent: no page. */
  webPage?: WebPageFiles;
}
