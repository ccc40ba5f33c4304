/** Every command of the CLI. A new command is one file exporting a `Command` and one line here. */
import type { Command } from './command.ts';
import { policyValidate } from './policy-validate.ts';
import { policyPlan } from './plan.ts';
import { policyPush } from './push.ts';
import { doctor } from './doctor.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { credentials } from './credentials.ts';
import { configure } from './configure.ts';
import { consoleCommand } from './console.ts';
import { list } from './list.ts';
import { exec } from './exec.ts';
import { accessReport } from './access-report.ts';
import { accessDiff } from './access-diff.ts';
import { request } from './request.ts';
import { requests } from './requests.ts';
import { approve, cancel, deny, extend, revoke } from './request-actions.ts';

export const COMMANDS: readonly Command[] = [
  policyValidate,
  policyPlan,
  policyPush,
  doctor,
  login,
  logout,
  list,
  credentials,
  configure,
  consoleCommand,
  exec,
  accessReport,
  accessDiff,
  request,
  requests,
  approve,
  deny,
  revoke,
  cancel,
  extend,
];
