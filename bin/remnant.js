#!/usr/bin/env node
// `remnant` command-line entry. Node >= 22.18 runs the TypeScript sources directly (type stripping).
import { main } from '../electron/src/cli/main.ts';

// Output piped into a reader that stops early (e.g. `remnant index DIR | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
