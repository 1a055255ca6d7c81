/**
 * The `remnant` command-line tool: a small dispatcher over sub-commands.
 * Exit codes: 0 success, 1 the command ran and found a failure (e.g. bad input data), 2 usage error or unreadable input root.
 */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

async function loadCommands(): Promise<CliCommand[]> {
  const loaded = await Promise.all([
    import('./index-command.ts').then((m) => m.indexCommand),
    import('./measure-command.ts').then((m) => m.measureCommand),
    import('./growth-command.ts').then((m) => m.growthCommand),
    import('./report-command.ts').then((m) => m.reportCommand),
    import('./cosign-command.ts').then((m) => m.cosignCommand),
    import('./verify-command.ts').then((m) => m.verifyCommand),
    import('./keys-command.ts').then((m) => m.keysCommand),
  ]);
  return loaded;
}

function printHelp(commands: CliCommand[], io: CliIo): void {
  io.stdout.write('remnant: central liver volumetry for liver-regeneration trials\n\nUsage: remnant <command> [options]\n\nCommands:\n');
  for (const c of commands) io.stdout.write(`  ${c.name.padEnd(10)} ${c.summary}\n`);
  io.stdout.write('\nRun `remnant <command> --help` for the options of one command.\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printHelp(commands, io);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`remnant: unknown command '${name}'\n`);
    printHelp(commands, io);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // A command must turn bad input into a message itself; reaching here is a bug, still reported without a stack dump.
    io.stderr.write(`remnant ${name}: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
