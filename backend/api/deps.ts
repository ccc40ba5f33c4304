import type { Directory } from '../auth/directory.ts';
import type { SessionTokens } from '../auth/session-tokens.ts';
import type { ConsoleBroker } from '../broker/console-broker.ts';
import type { AppLogger } from '../logging.ts';
import type { PolicySource } from '../policy/policy-source.ts';
import type { Partition } from '../../shared/console/partitions.ts';

export interface ApiDeps {
  directory: Directory;
  sessionTokens: SessionTokens;
  policy: PolicySource;
  broker: ConsoleBroker;
  /** Extension origins CORS lets read the answers (default: any extension). */
  allowedOrigins?: string[];
  logger: AppLogger;
  /** Console region when neither the request nor the account names one. */
  defaultRegion: string;
  /** The deployment's partition: the only one whose regions and consoles /federate accepts. */
  partition: Partition;
}
