import { describe, expect, it } from 'vitest';
import * as s from './schema.ts';

describe('schema DSL', () => {
  const request = s.object({ rootPath: s.string({ minLength: 1, maxLength: 10 }), depth: s.optional(s.number({ integer: true, min: 0 })) });

  it('accepts a valid object and drops absent optionals', () => {
    expect(request.parse({ rootPath: '/data' })).toEqual({ ok: true, value: { rootPath: '/data' } });
    expect(request.parse({ rootPath: '/data', depth: 2 })).toEqual({ ok: true, value: { rootPath: '/data', depth: 2 } });
  });

  it('names the offending property in the error', () => {
    expect(request.parse({ rootPath: 42 })).toEqual({ ok: false, error: 'value.rootPath: expected a string, got number' });
    expect(request.parse({})).toEqual({ ok: false, error: 'value.rootPath: expected a string, got undefined' });
    expect(request.parse({ rootPath: '' })).toEqual({ ok: false, error: 'value.rootPath: must not be empty' });
    expect(request.parse({ rootPath: 'x'.repeat(11) })).toEqual({ ok: false, error: 'value.rootPath: must be at most 10 characters' });
    expect(request.parse({ rootPath: '/a', depth: 1.5 })).toEqual({ ok: false, error: 'value.depth: must be an integer' });
  });

  it('refuses unknown keys, arrays, null and class instances as objects', () => {
    expect(request.parse({ rootPath: '/a', extra: true })).toEqual({ ok: false, error: "value: unexpected property 'extra'" });
    expect(request.parse(['/a'])).toMatchObject({ ok: false, error: 'value: expected an object, got array' });
    expect(request.parse(null)).toMatchObject({ ok: false, error: 'value: expected an object, got null' });
    expect(request.parse(new Date())).toMatchObject({ ok: false });
  });

  it('refuses control characters in strings by default', () => {
    expect(s.string().parse('/tmp/a\u0000b')).toEqual({ ok: false, error: 'value: must not contain control characters' });
    expect(s.string({ rejectControlChars: false }).parse('a\nb')).toEqual({ ok: true, value: 'a\nb' });
  });

  it('ignores a __proto__ payload key as an unexpected property', () => {
    const hostile = JSON.parse('{"rootPath":"/a","__proto__":{"polluted":true}}') as unknown;
    expect(request.parse(hostile)).toEqual({ ok: false, error: "value: unexpected property '__proto__'" });
  });

  it('none() accepts undefined, null and {} only', () => {
    expect(s.none().parse(undefined)).toEqual({ ok: true, value: undefined });
    expect(s.none().parse(null)).toEqual({ ok: true, value: undefined });
    expect(s.none().parse({})).toEqual({ ok: true, value: undefined });
    expect(s.none().parse({ a: 1 })).toEqual({ ok: false, error: 'value: expected no arguments, got object' });
    expect(s.none().parse('x')).toEqual({ ok: false, error: 'value: expected no arguments, got string' });
  });

  it('literal, nullable, boolean and array', () => {
    expect(s.literal('ipc', 'http').parse('http')).toEqual({ ok: true, value: 'http' });
    expect(s.literal('ipc', 'http').parse('ftp')).toEqual({ ok: false, error: 'value: expected one of "ipc", "http"' });
    expect(s.nullable(s.string()).parse(null)).toEqual({ ok: true, value: null });
    expect(s.boolean().parse(0)).toEqual({ ok: false, error: 'value: expected a boolean, got number' });
    expect(s.array(s.number(), { maxItems: 2 }).parse([1, 'a'])).toEqual({ ok: false, error: 'value[1]: expected a finite number, got string' });
    expect(s.array(s.number(), { maxItems: 2 }).parse([1, 2, 3])).toEqual({ ok: false, error: 'value: must have at most 2 items' });
    expect(s.number().parse(Number.NaN)).toMatchObject({ ok: false });
  });
});
