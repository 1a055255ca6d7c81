import { describe, expect, it } from 'vitest';
import { channelOfMethod, createHttpClient, eventOfMethod, parseSseChunk, tokenFromHash } from './http-client.ts';
import { hashWithoutToken } from './select-api.ts';

describe('http client helpers', () => {
  it('reads a well-formed token from the fragment only', () => {
    expect(tokenFromHash('#token=abcdefghijklmnop_-12&view3d=0')).toBe('abcdefghijklmnop_-12');
    expect(tokenFromHash('#token=short')).toBeNull();
    expect(tokenFromHash('#view3d=1')).toBeNull();
  });

  it('splits SSE frames and keeps the unfinished rest', () => {
    const { frames, rest } = parseSseChunk(': hi\n\nevent: index:progress\ndata: {"a":1}\n\nevent: x\ndata: par');
    expect(frames).toEqual([{ event: 'index:progress', data: '{"a":1}' }]);
    expect(rest).toBe('event: x\ndata: par');
  });

  it('exposes exactly one method per channel and one subscribe function per event', () => {
    const api = createHttpClient({ token: 'x'.repeat(20), fetch: () => Promise.reject(new Error('offline')) });
    expect(Object.keys(api).sort()).toEqual([...Object.keys(channelOfMethod), ...Object.keys(eventOfMethod)].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('posts JSON to /api/call/<channel> with the token header, and returns binary answers as bytes', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      seen.push({ url: String(input), headers: init?.headers as Record<string, string>, body: init?.body });
      return new Response(new Uint8Array([7, 8, 9]), { status: 200, headers: { 'Content-Type': 'application/octet-stream' } });
    };
    const api = createHttpClient({ token: 't'.repeat(20), baseUrl: 'http://127.0.0.1:9', fetch: fake as typeof fetch });
    expect([...(await api.readDicomFile({ path: '/d/a.dcm' }))]).toEqual([7, 8, 9]);
    expect(seen[0]).toEqual({
      url: 'http://127.0.0.1:9/api/call/dicom%3AreadFile',
      headers: { 'Content-Type': 'application/json', 'x-remnant-token': 't'.repeat(20) },
      body: '{"path":"/d/a.dcm"}',
    });
  });

  it('turns an unreachable server into an unavailable error', async () => {
    const api = createHttpClient({ token: 'x'.repeat(20), fetch: () => Promise.reject(new Error('connection refused')) });
    await expect(api.getAppInfo()).rejects.toMatchObject({ code: 'unavailable', channel: 'app:info' });
  });
});

describe('hashWithoutToken', () => {
  it('drops only the token', () => {
    expect(hashWithoutToken('#token=abc&view3d=0')).toBe('#view3d=0');
    expect(hashWithoutToken('#token=abc')).toBe('');
  });
});
