/**
 * A tiny runtime schema DSL for the IPC / HTTP contract: every request that crosses a process or network
 * boundary is parsed by one of these before any service code sees it.
 *
 * Runtime-neutral on purpose (no Node, no DOM): the renderer's HTTP client and the preload may import it.
 * Objects are strict: unknown keys are refused, so a caller cannot smuggle options a service might honour later.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Schema<T> {
  /** Human-readable shape, used in error messages and docs. */
  readonly describe: string;
  parse(value: unknown, path?: string): ParseResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(path: string, message: string): ParseResult<T> => ({ ok: false, error: `${path}: ${message}` });

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export interface StringOptions {
  minLength?: number;
  maxLength?: number;
  /** Refuse NUL and other C0 control characters (default true): no legitimate path or id contains them. */
  rejectControlChars?: boolean;
}

export function string(options: StringOptions = {}): Schema<string> {
  const { minLength = 0, maxLength = 65_536, rejectControlChars = true } = options;
  return {
    describe: 'string',
    parse(value, path = 'value') {
      if (typeof value !== 'string') return fail(path, `expected a string, got ${typeName(value)}`);
      if (value.length < minLength) {
        return fail(path, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`);
      }
      if (value.length > maxLength) return fail(path, `must be at most ${maxLength} characters`);
      if (rejectControlChars && /[\u0000-\u001f\u007f]/.test(value)) return fail(path, 'must not contain control characters');
      return ok(value);
    },
  };
}

export function number(options: { integer?: boolean; min?: number; max?: number } = {}): Schema<number> {
  return {
    describe: options.integer ? 'integer' : 'number',
    parse(value, path = 'value') {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(path, `expected a finite number, got ${typeName(value)}`);
      if (options.integer && !Number.isInteger(value)) return fail(path, 'must be an integer');
      if (options.min !== undefined && value < options.min) return fail(path, `must be >= ${options.min}`);
      if (options.max !== undefined && value > options.max) return fail(path, `must be <= ${options.max}`);
      return ok(value);
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    describe: 'boolean',
    parse(value, path = 'value') {
      return typeof value === 'boolean' ? ok(value) : fail(path, `expected a boolean, got ${typeName(value)}`);
    },
  };
}

export function literal<const L extends string | number | boolean>(...values: L[]): Schema<L> {
  return {
    describe: values.map((v) => JSON.stringify(v)).join(' | '),
    parse(value, path = 'value') {
      return (values as unknown[]).includes(value)
        ? ok(value as L)
        : fail(path, `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    },
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    describe: `${inner.describe} | null`,
    parse(value, path = 'value') {
      return value === null ? ok(null) : inner.parse(value, path);
    },
  };
}

export function array<T>(item: Schema<T>, options: { maxItems?: number; minItems?: number } = {}): Schema<T[]> {
  const { maxItems = 100_000, minItems = 0 } = options;
  return {
    describe: `${item.describe}[]`,
    parse(value, path = 'value') {
      if (!Array.isArray(value)) return fail(path, `expected an array, got ${typeName(value)}`);
      if (value.length > maxItems) return fail(path, `must have at most ${maxItems} items`);
      if (value.length < minItems) return fail(path, `must have at least ${minItems} items`);
      const out: T[] = [];
      for (let i = 0; i < value.length; i++) {
        const r = item.parse(value[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
/** Keys whose schema accepts undefined are optional. */
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    describe: `${inner.describe}?`,
    parse(value, path = 'value') {
      return value === undefined ? ok(undefined) : inner.parse(value, path);
    },
  };
}

export function object<S extends Shape>(shape: S): Schema<{ [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }> {
  const keys = Object.keys(shape);
  return {
    describe: `{ ${keys.map((k) => `${k}: ${shape[k]!.describe}`).join('; ')} }`,
    parse(value, path = 'value') {
      if (!isPlainObject(value)) return fail(path, `expected an object, got ${typeName(value)}`);
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) return fail(path, `unexpected property '${key}'`);
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const r = shape[key]!.parse(value[key], `${path}.${key}`);
        if (!r.ok) return r as ParseResult<never>;
        if (r.value !== undefined) out[key] = r.value;
      }
      return ok(out as { [K in keyof ObjectOf<S>]: ObjectOf<S>[K] });
    },
  };
}

/**
 * No arguments. Accepts `undefined` (IPC invoke without payload), `null` (JSON body "null") or `{}` (empty JSON body),
 * and normalises them all to `undefined`. Anything else is refused, so a stray payload is noticed.
 */
export function none(): Schema<void> {
  return {
    describe: 'no arguments',
    parse(value, path = 'value') {
      if (value === undefined || value === null) return ok(undefined);
      if (isPlainObject(value) && Object.keys(value).length === 0) return ok(undefined);
      return fail(path, `expected no arguments, got ${typeName(value)}`);
    },
  };
}
