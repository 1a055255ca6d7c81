/**
 * Argument handling shared by the `remnant` sub-commands: strict parsing with node:util parseArgs, the usage-error
 * report (message, blank line, usage; exit code 2), required flags and the reason a file could not be read.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { CliIo } from './main.ts';

/** Exit code of a usage error. */
export const USAGE_ERROR = 2;

/** The message of an error, or the text of anything else thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes "remnant <command>: <message>", a blank line and the usage to stderr; returns the usage-error exit code. */
export function usageError(io: CliIo, command: string, message: string, usage: string): typeof USAGE_ERROR {
  io.stderr.write(`remnant ${command}: ${message}\n\n${usage}\n`);
  return USAGE_ERROR;
}

/** Throws "--<flag> is required" for the first flag without a (non-empty) value. */
export function requireFlags(values: Readonly<Record<string, unknown>>, flags: readonly string[]): void {
  for (const flag of flags) if (!values[flag]) throw new Error(`--${flag} is required`);
}

type StrictArgs<O extends ParseArgsOptionsConfig> = { args: string[]; allowPositionals: true; strict: true; options: O };
export type ParsedCommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<StrictArgs<O>>>;

/**
 * Parses `argv` strictly (unknown options are errors; positionals allowed) and runs `check` on the result. On a parse
 * or check error, writes it as a usage error (usageError) and returns null: the command then exits with USAGE_ERROR.
 */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(
  io: CliIo,
  command: string,
  usage: string,
  argv: string[],
  options: O,
  check: (parsed: ParsedCommandArgs<O>) => void = () => {},
): ParsedCommandArgs<O> | null {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
    check(parsed);
    return parsed;
  } catch (error) {
    usageError(io, command, errorMessage(error), usage);
    return null;
  }
}

/** Why a file could not be read, for messages: "no such file", else the errno code (or the error text). */
export function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? String(error));
}
