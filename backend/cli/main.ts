/** `switchyard <words> [args]`: finds the command named by the leading words and runs it. */
import { EXIT_USAGE, UsageError, type CliIo, type Command } from './command.ts';
import { COMMANDS } from './commands.ts';

export async function main(argv: readonly string[], io: CliIo = processIo(), commands: readonly Command[] = COMMANDS): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stderr(usage(commands));
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const command = commands
    .filter((candidate) => candidate.words.every((word, index) => argv[index] === word))
    .sort((a, b) => b.words.length - a.words.length)[0];
  if (!command) {
    io.stderr(`switchyard: unknown command "${argv.join(' ')}"\n\n${usage(commands)}`);
    return EXIT_USAGE;
  }
  const args = argv.slice(command.words.length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stderr(`usage: switchyard ${command.words.join(' ')} ${command.usage}\n  ${command.summary}\n${command.help ? `\n${command.help}` : ''}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`switchyard ${command.words.join(' ')}: ${error.message}\nusage: switchyard ${command.words.join(' ')} ${command.usage}\n`);
      return command.usageExitCode ?? EXIT_USAGE;
    }
    throw error;
  }
}

export function usage(commands: readonly Command[]): string {
  const lines = commands.map((command) => `  switchyard ${command.words.join(' ')} ${command.usage}\n      ${command.summary}`);
  return `usage:\n${lines.join('\n')}\n`;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}
