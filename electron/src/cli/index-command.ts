import type { CliCommand } from './main.ts';

export const indexCommand: CliCommand = {
  name: 'index',
  summary: 'scan a folder or DICOMDIR and list studies, series and problems',
  usage: 'remnant index <path> [--json]',
  async run(_args, io) {
    io.stderr.write('remnant index: being built (issue 2)\n');
    return 1;
  },
};
