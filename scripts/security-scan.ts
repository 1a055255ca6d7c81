/**
 * Electron security scan: runs electronegativity over the project's Electron and renderer sources and fails on any
 * HIGH or MEDIUM finding that .ci/electronegativity-baseline.json does not accept with a reason.
 *
 *   node scripts/security-scan.ts            exit 0 clean, 1 unaccepted findings, 2 the scan itself failed
 *
 * electronegativity exits 0 even when it finds problems, so its CSV report is parsed here. Three quirks handled:
 *  - its CLI reads options as properties of the commander program, which the hoisted commander 9 no longer does
 *    by default; we start the CLI with `storeOptionsAsProperties()` switched on;
 *  - it localises its option names from LANG; we pin LANG=en-US;
 *  - its CSV header and rows are written by racing async writes; we make fs.writeFile synchronous in its process.
 * (It also tries to download updated translations, with a 1 s timeout, and works offline.)
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

export interface Finding {
  check: string;
  severity: Severity;
  confidence: string;
  /** Repository-relative path, '/'-separated. */
  file: string;
  location: string;
  sample: string;
  description: string;
}

export interface BaselineEntry {
  check: string;
  file: string;
  reason: string;
}

export interface Evaluation {
  /** HIGH/MEDIUM (and CRITICAL) findings without a baseline entry: these fail the scan. */
  failures: Finding[];
  accepted: { finding: Finding; reason: string }[];
  /** LOW / INFORMATIONAL: reported, never failing. */
  informational: Finding[];
  /** Baseline entries that matched nothing (fixed, or the file moved): listed so the baseline stays honest. */
  stale: BaselineEntry[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BASELINE = path.join(repoRoot, '.ci', 'electronegativity-baseline.json');
/** Directories scanned, relative to the repository root (missing ones are skipped). */
export const SCAN_DIRS = ['electron/src', 'renderer'];
const FAILING: ReadonlySet<string> = new Set(['CRITICAL', 'HIGH', 'MEDIUM']);
const SEVERITIES: ReadonlySet<string> = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('malformed CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Parse electronegativity's CSV report; `prefix` is the scanned directory (the report's paths are relative to it). */
export function parseReport(csv: string, prefix: string): Finding[] {
  const rows = parseCsv(csv);
  if (rows.length === 0) throw new Error('empty electronegativity report (no header)');
  const header = rows[0]!.map((h) => h.trim());
  if (header[0] !== 'issue' || header[1] !== 'severity' || header[3] !== 'filename') {
    throw new Error(`unexpected electronegativity report header: ${header.join(',')}`);
  }
  return rows.slice(1).map((r, index) => {
    if (r.length < 7) throw new Error(`malformed electronegativity report row ${index + 2}: ${r.join(',')}`);
    const severity = r[1]!.trim().toUpperCase();
    if (!SEVERITIES.has(severity)) throw new Error(`unknown severity '${severity}' in report row ${index + 2}`);
    const file = r[3]! === 'N/A' ? prefix || 'N/A' : path.posix.join(prefix, r[3]!.replaceAll('\\', '/'));
    return {
      check: r[0]!.trim(),
      severity: severity as Severity,
      confidence: r[2]!.trim(),
      file,
      location: r[4]!.trim(),
      sample: r[5]!,
      description: r[6]!,
    };
  });
}

export function parseBaseline(text: string, source = 'baseline'): BaselineEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const accepted = (data as { accepted?: unknown } | null)?.accepted;
  if (!Array.isArray(accepted)) throw new Error(`${source}: expected { "accepted": [ { "check", "file", "reason" } ] }`);
  return accepted.map((entry: unknown, i) => {
    const e = entry as Record<string, unknown> | null;
    for (const key of ['check', 'file', 'reason'] as const) {
      if (typeof e?.[key] !== 'string' || (e[key] as string).trim() === '') {
        throw new Error(`${source}: accepted[${i}].${key} must be a non-empty string (every accepted finding needs a reason)`);
      }
    }
    return { check: e!.check as string, file: e!.file as string, reason: e!.reason as string };
  });
}

export function evaluate(findings: Finding[], baseline: BaselineEntry[]): Evaluation {
  const used = new Set<BaselineEntry>();
  const out: Evaluation = { failures: [], accepted: [], informational: [], stale: [] };
  for (const finding of findings) {
    if (!FAILING.has(finding.severity)) {
      out.informational.push(finding);
      continue;
    }
    const entry = baseline.find((b) => b.check === finding.check && b.file === finding.file);
    if (entry) {
      used.add(entry);
      out.accepted.push({ finding, reason: entry.reason });
    } else out.failures.push(finding);
  }
  out.stale = baseline.filter((b) => !used.has(b));
  return out;
}

export function formatSummary(result: Evaluation): string {
  const lines: string[] = [];
  const where = (f: Finding): string => `${f.check} [${f.severity}/${f.confidence}] ${f.file}:${f.location}`;
  lines.push(
    `electronegativity: ${result.failures.length} failing, ${result.accepted.length} accepted by baseline, ${result.informational.length} low/informational`,
  );
  for (const f of result.failures) lines.push(`  FAIL      ${where(f)}\n            ${f.description}\n            ${f.sample.trim().slice(0, 160)}`);
  for (const a of result.accepted) lines.push(`  accepted  ${where(a.finding)}: ${a.reason}`);
  for (const f of result.informational) lines.push(`  info      ${where(f)}: ${f.description}`);
  for (const s of result.stale) lines.push(`  stale baseline entry (matched nothing): ${s.check} ${s.file}`);
  if (result.failures.length > 0) {
    lines.push('Fix the findings, or (only if they are false positives) list them in .ci/electronegativity-baseline.json with a reason.');
  }
  return lines.join('\n');
}

/** Run the electronegativity CLI on one directory, return its CSV report text. */
export async function runElectronegativity(inputDir: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
  const work = mkdtempSync(path.join(tmpdir(), 'remnant-electronegativity-'));
  const out = path.join(work, 'out.csv');
  const bootstrap = [
    // electronegativity writes the CSV header and the rows with two concurrent fs.writeFile calls (flag 'w' then 'a'),
    // which can interleave and corrupt the report: make writeFile synchronous so they land in call order.
    "const fs = require('node:fs');",
    'fs.writeFile = (file, data, options, callback) => {',
    "  const done = typeof options === 'function' ? options : callback;",
    "  try { fs.writeFileSync(file, data, typeof options === 'function' ? undefined : options); } catch (error) { if (done) return done(error); throw error; }",
    '  if (done) done(null);',
    '};',
    "const { createRequire } = require('node:module');",
    'const cli = process.argv[1];',
    "const commander = createRequire(cli)('commander');",
    '(commander.program ?? commander).storeOptionsAsProperties();',
    'process.argv = [process.argv[0], cli, ...process.argv.slice(2)];',
    'require(cli);',
  ].join('\n');
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', bootstrap, cli, '-i', inputDir, '-o', out, '-r'], {
        env: { ...process.env, LANG: 'en-US' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    if (code !== 0 || !existsSync(out)) {
      throw new Error(`electronegativity failed on ${inputDir} (exit ${code}):\n${output.slice(-2000)}`);
    }
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Global checks (navigation limits, permission handler, ...) look at the whole project, so the scanned directories
 * are staged together (copies, without node_modules or build output) with package.json, which tells
 * electronegativity the Electron version, and scanned in one run.
 */
export function stageScanTree(root: string, dirs: string[], into: string): string[] {
  const staged: string[] = [];
  for (const dir of dirs) {
    const from = path.join(root, dir);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(into, dir), {
      recursive: true,
      filter: (source) => !/(^|[\\/])(node_modules|\.vite)([\\/]|$)/.test(path.relative(root, source)),
    });
    staged.push(dir);
  }
  const pkg = path.join(root, 'package.json');
  if (existsSync(pkg)) cpSync(pkg, path.join(into, 'package.json'));
  return staged;
}

export async function scanProject(options: { root?: string; dirs?: string[]; baselinePath?: string } = {}): Promise<Evaluation> {
  const root = options.root ?? repoRoot;
  const baselinePath = options.baselinePath ?? DEFAULT_BASELINE;
  const baseline = existsSync(baselinePath) ? parseBaseline(readFileSync(baselinePath, 'utf8'), path.relative(root, baselinePath) || baselinePath) : [];
  const stage = mkdtempSync(path.join(tmpdir(), 'remnant-scan-tree-'));
  try {
    const staged = stageScanTree(root, options.dirs ?? SCAN_DIRS, stage);
    if (staged.length === 0) throw new Error('nothing to scan: none of the scan directories exist');
    return evaluate(parseReport(await runElectronegativity(stage), ''), baseline);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  try {
    const result = await scanProject();
    console.log(formatSummary(result));
    return result.failures.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`security-scan: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
