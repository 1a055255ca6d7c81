import { formatIndexText } from '../services/dicom-index/format.ts';
import { IndexRootError, indexPath } from '../services/dicom-index/scan.ts';
import type { CliCommand } from './main.ts';

const USAGE = `remnant index <path> [--json]

Scan a folder (recursively), a DICOMDIR or a single file; list studies > series > stacks with slice count, matrix,
spacing and problems, then non-image objects (SEG, SR, RT, PDF, ...), DICOMDIRs and unreadable files with reasons.

  --json   machine-readable output (schema: docs/index-json.md)

Exit codes: 0 the scan completed (even if bad files were found); 2 usage error or unreadable/non-existent path.`;

export const indexCommand: CliCommand = {
  name: 'index',
  summary: 'scan a folder or DICOMDIR and list studies, series and problems',
  usage: USAGE,
  async run(args, io) {
    let json = false;
    const positional: string[] = [];
    for (const a of args) {
      if (a === '--json') json = true;
      else if (a.startsWith('-')) {
        io.stderr.write(`remnant index: unknown option '${a}'\n\n${USAGE}\n`);
        return 2;
      } else positional.push(a);
    }
    if (positional.length !== 1) {
      io.stderr.write(`remnant index: expected exactly one <path>, got ${positional.length}\n\n${USAGE}\n`);
      return 2;
    }
    const root = positional[0] as string;
    try {
      const result = await indexPath(root);
      io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatIndexText(result));
      return 0;
    } catch (error) {
      if (error instanceof IndexRootError) {
        io.stderr.write(`remnant index: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  },
};
