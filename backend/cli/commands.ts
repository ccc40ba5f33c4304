/** Every command of the CLI. A new command is one file exporting a `Command` and one line here. */
import type { Command } from './command.ts';
import { policyValidate } from './policy-validate.ts';
import { policyPlan } from './plan.ts';
import { policyPush } from './push.ts';
import { doctor } from './doctor.ts';
import { accessReport } from './access-report.ts';
import { accessDiff } from './access-diff.ts';

export const COMMANDS: readonly Command[] = [policyValidate, policyPlan, policyPush, doctor, accessReport, accessDiff];
