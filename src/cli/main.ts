/**
 * The `logsleuth` command: parses flags with commander and calls the library.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeForTerminal, escapeLinesForTerminal } from '../report/terminal-escape';
import { commands } from './commands';
import { type CliIo, type CliRun, processIo } from './io';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds the program; `run` collects the exit code its commands set. */
export function buildProgram(run: CliRun): Command {
  const program = new Command('logsleuth')
    .description('Log forensics for Linux hosts: who attacked, what happened, what is still connected, what broke.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run logsleuth --help for usage)')
    .showSuggestionAfterError()
    .exitOverride()
    // commander echoes unknown options and commands as typed: escape them like any other input.
    .configureOutput({
      writeOut: (text) => run.io.out(text),
      writeErr: (text) => run.io.err(text),
      outputError: (text, write) => write(escapeLinesForTerminal(text)),
    });
  for (const register of commands) register(program, run);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const run: CliRun = { io, exitCode: 0 };
  const program = buildProgram(run);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with 0; usage errors have been printed by commander.
      return error.exitCode;
    }
    io.err(`logsleuth: ${escapeForTerminal(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
  return run.exitCode;
}
