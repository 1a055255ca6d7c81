import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from './serve.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'remnant-serve-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

describe('browser-mode launcher', () => {
  it('parses its options and refuses bad ones clearly', () => {
    expect(parseServeArgs(['--port', '8123', '--renderer-dir', scratch], { rendererDir: '/default' })).toEqual({
      ok: true,
      options: { port: 8123, rendererDir: scratch, dev: false },
    });
    expect(parseServeArgs([], { rendererDir: '/default' })).toEqual({ ok: true, options: { port: 0, rendererDir: '/default', dev: false } });
    expect(parseServeArgs(['--port', '99999'])).toEqual({ ok: false, error: '--port needs an integer 0-65535, got "99999"' });
    expect(parseServeArgs(['--port'])).toEqual({ ok: false, error: '--port needs an integer 0-65535, got ""' });
    expect(parseServeArgs(['--renderer-dir'])).toEqual({ ok: false, error: '--renderer-dir needs a folder' });
    expect(parseServeArgs(['--open-to-lan'])).toEqual({ ok: false, error: 'unknown option "--open-to-lan"' });
  });

  it('starts, prints a loopback launch URL that works, and stops on SIGTERM', async () => {
    writeFileSync(path.join(scratch, 'index.html'), '<!doctype html><title>served</title>');
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'serve.ts'), '--renderer-dir', scratch], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`launcher exited early (${code}): ${stdout}`)));
    });
    const launch = await fetch(url, { redirect: 'manual' });
    expect(launch.status).toBe(303);
    const cookie = launch.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(new URL('/', url), { headers: { Cookie: cookie } });
    expect(await page.text()).toContain('<title>served</title>');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 with usage on a bad option', async () => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'serve.ts'), '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option "--bogus"');
  });
});
