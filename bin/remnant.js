#!/usr/bin/env node
// `remnant` command-line entry. Node >= 22.18 runs the TypeScript sources directly (type stripping).
import { main } from '../electron/src/cli/main.ts';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
