import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatSummary, parseBaseline, parseCsv, parseReport, scanProject } from './security-scan.ts';
import type { Evaluation, Finding } from './security-scan.ts';

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url\n';

describe('report parsing', () => {
  it('parses quoted CSV fields with commas, doubled quotes and newlines', () => {
    expect(parseCsv('a,"b, c","say ""hi""","line1\nline2",N/A\r\nx,y\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'line1\nline2', 'N/A'],
      ['x', 'y'],
    ]);
    expect(() => parseCsv('a,"unterminated')).toThrow('unterminated quoted field');
  });

  it('reads electronegativity rows into findings with repository paths', () => {
    const csv =
      HEADER +
      'NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","main/main.ts","157:17","new BrowserWindow(a, b)","Disable nodeIntegration",https://x\n' +
      'LIMIT_NAVIGATION_GLOBAL_CHECK,"HIGH","CERTAIN",N/A,"0:0",N/A,"Missing navigation limits",https://y\n';
    const findings = parseReport(csv, 'electron/src');
    expect(findings).toEqual([
      { check: 'NODE_INTEGRATION_JS_CHECK', severity: 'HIGH', confidence: 'FIRM', file: 'electron/src/main/main.ts', location: '157:17', sample: 'new BrowserWindow(a, b)', description: 'Disable nodeIntegration' },
      { check: 'LIMIT_NAVIGATION_GLOBAL_CHECK', severity: 'HIGH', confidence: 'CERTAIN', file: 'electron/src', location: '0:0', sample: 'N/A', description: 'Missing navigation limits' },
    ]);
    expect(parseReport(HEADER, '')).toEqual([]);
    expect(() => parseReport('nonsense\n', '')).toThrow('unexpected electronegativity report header');
    expect(() => parseReport(HEADER + 'X,"SEVERE","FIRM","a","1:1","s","d",u\n', '')).toThrow("unknown severity 'SEVERE'");
  });

  it('a baseline entry without a reason is refused', () => {
    expect(parseBaseline('{"accepted":[{"check":"A","file":"f","reason":"false positive: x"}]}')).toEqual([{ check: 'A', file: 'f', reason: 'false positive: x' }]);
    expect(() => parseBaseline('{"accepted":[{"check":"A","file":"f"}]}')).toThrow('accepted[0].reason must be a non-empty string');
    expect(() => parseBaseline('{"accepted":[{"check":"A","file":"f","reason":"  "}]}')).toThrow('accepted[0].reason');
    expect(() => parseBaseline('[]')).toThrow('expected { "accepted"');
    expect(() => parseBaseline('{')).toThrow('not valid JSON');
  });
});

describe('gate', () => {
  const finding = (check: string, severity: Finding['severity'], file = 'electron/src/main/main.ts'): Finding => ({
    check,
    severity,
    confidence: 'FIRM',
    file,
    location: '1:1',
    sample: 's',
    description: 'd',
  });

  it('fails on HIGH/MEDIUM not in the baseline, accepts listed ones, reports LOW and stale entries', () => {
    const result = evaluate(
      [finding('A', 'HIGH'), finding('B', 'MEDIUM'), finding('B', 'MEDIUM', 'electron/src/other.ts'), finding('C', 'LOW'), finding('D', 'INFORMATIONAL')],
      [
        { check: 'B', file: 'electron/src/main/main.ts', reason: 'reviewed' },
        { check: 'Z', file: 'gone.ts', reason: 'old' },
      ],
    );
    expect(result.failures.map((f) => `${f.check} ${f.file}`)).toEqual(['A electron/src/main/main.ts', 'B electron/src/other.ts']);
    expect(result.accepted.map((a) => a.reason)).toEqual(['reviewed']);
    expect(result.informational.map((f) => f.check)).toEqual(['C', 'D']);
    expect(result.stale).toEqual([{ check: 'Z', file: 'gone.ts', reason: 'old' }]);
    expect(formatSummary(result)).toMatch(/^electronegativity: 2 failing, 1 accepted by baseline, 2 low\/informational/);
  });
});

describe('electronegativity on real sources', () => {
  let scratch: string;
  let insecure: Evaluation;
  let project: Evaluation;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'remnant-insecure-app-'));
    mkdirSync(path.join(scratch, 'app'));
    writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'insecure', devDependencies: { electron: '45.5.0' } }));
    writeFileSync(
      path.join(scratch, 'app', 'main.js'),
      "const { app, BrowserWindow } = require('electron');\n" +
        "app.whenReady().then(() => {\n  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n  w.loadURL('https://example.org');\n});\n",
    );
    const emptyBaseline = path.join(scratch, 'baseline.json');
    writeFileSync(emptyBaseline, '{"accepted":[]}');
    // Both scans mostly wait on electronegativity's network look-ups: run them side by side.
    [insecure, project] = await Promise.all([scanProject({ root: scratch, dirs: ['app'], baselinePath: emptyBaseline }), scanProject()]);
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the scanner really runs: a deliberately insecure app fails', () => {
    const failing = insecure.failures.map((f) => f.check);
    expect(failing).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']));
    expect(insecure.failures.find((f) => f.check === 'CONTEXT_ISOLATION_JS_CHECK')?.file).toBe('app/main.js');
  });

  it('the project has no HIGH/MEDIUM finding outside the reviewed baseline', () => {
    expect(project.failures, formatSummary(project)).toEqual([]);
    expect(project.stale, 'remove baseline entries that no longer match').toEqual([]);
  });
});
