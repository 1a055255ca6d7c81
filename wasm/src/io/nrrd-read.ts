import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import { geometryFromLpsAffine, gunzipNamed } from './nifti-read.ts';

export type NrrdDataArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NrrdVolume {
  /** Geometry of the three spatial axes, in LPS. */
  geometry: ImageGeometry;
  /** NRRD type name as normalised here: int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64. */
  type: string;
  /**
   * One 3D array per component (i fastest, then j, then k). A scalar NRRD has one; a 4D NRRD with one non-spatial
   * axis (space direction "none", e.g. kind "list" in Slicer's layered .seg.nrrd) has one per entry of that axis.
   */
  components: NrrdDataArray[];
  /** Kind of the non-spatial axis, if any (e.g. "list", "vector"). */
  componentKind?: string;
  /** Key/value pairs ("key:=value" lines). */
  keyValues: Record<string, string>;
  /** Header fields, lower-cased names ("space directions", ...). */
  fields: Record<string, string>;
  notes: string[];
  warnings: string[];
}

interface TypeInfo {
  name: string;
  bytes: number;
  make: (n: number) => NrrdDataArray;
  set: (out: NrrdDataArray, i: number, view: DataView, offset: number, le: boolean) => void;
  parse: (out: NrrdDataArray, i: number, text: string) => void;
}

const num = (out: NrrdDataArray, i: number, v: number): void => {
  (out as Float64Array)[i] = v;
};
const big = (out: NrrdDataArray, i: number, v: bigint): void => {
  (out as BigInt64Array)[i] = v;
};

function typeInfo(name: string, bytes: number, make: (n: number) => NrrdDataArray, get: (v: DataView, o: number, le: boolean) => number | bigint): TypeInfo {
  return {
    name,
    bytes,
    make,
    set: (out, i, view, o, le) => {
      const val = get(view, o, le);
      if (typeof val === 'bigint') big(out, i, val);
      else num(out, i, val);
    },
    parse: (out, i, text) => {
      if (name.endsWith('64') && !name.startsWith('float')) big(out, i, BigInt(text));
      else num(out, i, Number(text));
    },
  };
}

const TYPES: TypeInfo[] = [
  typeInfo('int8', 1, (n) => new Int8Array(n), (v, o) => v.getInt8(o)),
  typeInfo('uint8', 1, (n) => new Uint8Array(n), (v, o) => v.getUint8(o)),
  typeInfo('int16', 2, (n) => new Int16Array(n), (v, o, le) => v.getInt16(o, le)),
  typeInfo('uint16', 2, (n) => new Uint16Array(n), (v, o, le) => v.getUint16(o, le)),
  typeInfo('int32', 4, (n) => new Int32Array(n), (v, o, le) => v.getInt32(o, le)),
  typeInfo('uint32', 4, (n) => new Uint32Array(n), (v, o, le) => v.getUint32(o, le)),
  typeInfo('int64', 8, (n) => new BigInt64Array(n), (v, o, le) => v.getBigInt64(o, le)),
  typeInfo('uint64', 8, (n) => new BigUint64Array(n), (v, o, le) => v.getBigUint64(o, le)),
  typeInfo('float32', 4, (n) => new Float32Array(n), (v, o, le) => v.getFloat32(o, le)),
  typeInfo('float64', 8, (n) => new Float64Array(n), (v, o, le) => v.getFloat64(o, le)),
];

/** NRRD type spellings (format spec, "type:" field) to normalised names. */
const TYPE_ALIASES: Record<string, string> = {
  'signed char': 'int8', int8: 'int8', int8_t: 'int8',
  uchar: 'uint8', 'unsigned char': 'uint8', uint8: 'uint8', uint8_t: 'uint8',
  short: 'int16', 'short int': 'int16', 'signed short': 'int16', 'signed short int': 'int16', int16: 'int16', int16_t: 'int16',
  ushort: 'uint16', 'unsigned short': 'uint16', 'unsigned short int': 'uint16', uint16: 'uint16', uint16_t: 'uint16',
  int: 'int32', 'signed int': 'int32', int32: 'int32', int32_t: 'int32',
  uint: 'uint32', 'unsigned int': 'uint32', uint32: 'uint32', uint32_t: 'uint32',
  longlong: 'int64', 'long long': 'int64', 'long long int': 'int64', 'signed long long': 'int64', 'signed long long int': 'int64', int64: 'int64', int64_t: 'int64',
  ulonglong: 'uint64', 'unsigned long long': 'uint64', 'unsigned long long int': 'uint64', uint64: 'uint64', uint64_t: 'uint64',
  float: 'float32',
  double: 'float64',
};

/** World-space sign flips to LPS for the named 3D anatomical spaces of the NRRD format. */
const SPACES: Record<string, Vec3> = {
  'left-posterior-superior': [1, 1, 1],
  lps: [1, 1, 1],
  'right-anterior-superior': [-1, -1, 1],
  ras: [-1, -1, 1],
  'left-anterior-superior': [1, -1, 1],
  las: [1, -1, 1],
};

/** Bytes as ISO-8859-1 text (no TextDecoder: the core's lib has no DOM/Node types). */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

export function isNrrd(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(0, 7)) === 'NRRD000';
}

function parseVector(text: string, fileName: string, what: string): number[] | undefined {
  const t = text.trim();
  if (t === 'none') return undefined;
  const m = /^\((.*)\)$/.exec(t);
  if (!m) throw new Error(`${fileName}: NRRD ${what} "${text}" is not a vector like (x,y,z)`);
  const v = m[1].split(',').map((s) => Number(s.trim()));
  if (v.some((x) => !Number.isFinite(x))) throw new Error(`${fileName}: NRRD ${what} "${text}" has non-numeric entries`);
  return v;
}

/** Splits "(a,b,c) none (d,e,f)" into tokens. */
function splitVectors(text: string): string[] {
  return text.match(/\([^)]*\)|none/g) ?? [];
}

/**
 * Reads an NRRD file with attached data (raw, gzip or ascii encoding) into per-component 3D arrays plus an LPS
 * geometry from "space", "space directions" and "space origin" (or "spacings" with a warning when no space is given).
 */
export function readNrrd(bytes: Uint8Array, fileName: string): NrrdVolume {
  if (!isNrrd(bytes)) throw new Error(`${fileName}: not an NRRD file (missing "NRRD000x" magic)`);
  // Header: lines up to the first empty line.
  let pos = 0;
  const lines: string[] = [];
  for (;;) {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new Error(`${fileName}: NRRD header is not terminated by an empty line (no attached data?)`);
    let lineEnd = end;
    if (lineEnd > pos && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    const line = latin1(bytes.subarray(pos, lineEnd));
    pos = end + 1;
    if (line === '') break;
    lines.push(line);
  }
  const fields: Record<string, string> = {};
  const keyValues: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const kv = line.indexOf(':=');
    const colon = line.indexOf(': ');
    if (kv >= 0 && (colon < 0 || kv < colon)) {
      keyValues[line.slice(0, kv)] = line.slice(kv + 2);
    } else if (colon >= 0) {
      fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 2).trim();
    } else {
      throw new Error(`${fileName}: malformed NRRD header line "${line}"`);
    }
  }
  const req = (name: string): string => {
    const v = fields[name];
    if (v === undefined) throw new Error(`${fileName}: NRRD header lacks the required field "${name}"`);
    return v;
  };
  if (fields['data file'] !== undefined || fields.datafile !== undefined) {
    throw new Error(`${fileName}: detached NRRD (data file "${fields['data file'] ?? fields.datafile}") is not supported; save the NRRD with attached data (.nrrd)`);
  }
  const typeName = TYPE_ALIASES[req('type').toLowerCase()];
  if (!typeName) throw new Error(`${fileName}: unsupported NRRD type "${fields.type}"`);
  const info = TYPES.find((t) => t.name === typeName)!;
  const dimension = Number(req('dimension'));
  const sizes = req('sizes').split(/\s+/).map(Number);
  if (!(dimension >= 1) || sizes.length !== dimension || sizes.some((n) => !(Number.isInteger(n) && n >= 1))) {
    throw new Error(`${fileName}: NRRD dimension ${fields.dimension} / sizes "${fields.sizes}" are inconsistent`);
  }
  const notes: string[] = [];
  const warnings: string[] = [];

  // Which axes are spatial?
  const spaceName = (fields.space ?? '').toLowerCase();
  const directionsText = fields['space directions'];
  let spatialAxes: number[];
  let directions: Array<number[] | undefined>;
  let sign: Vec3 = [1, 1, 1];
  let originWorld: number[] = [0, 0, 0];
  if (spaceName !== '' || fields['space dimension'] !== undefined) {
    const s = SPACES[spaceName];
    if (!s) {
      throw new Error(`${fileName}: NRRD space "${fields.space ?? `(space dimension ${fields['space dimension']})`}" is not an anatomical 3D space (supported: left-posterior-superior, right-anterior-superior, left-anterior-superior)`);
    }
    sign = s;
    if (directionsText === undefined) throw new Error(`${fileName}: NRRD has a space but no "space directions"`);
    const tokens = splitVectors(directionsText);
    if (tokens.length !== dimension) throw new Error(`${fileName}: NRRD "space directions" has ${tokens.length} entries for ${dimension} axes`);
    directions = tokens.map((t) => parseVector(t, fileName, 'space direction'));
    spatialAxes = directions.flatMap((d, a) => (d ? [a] : []));
    if (directions.some((d) => d && d.length !== 3)) throw new Error(`${fileName}: NRRD space directions must be 3-vectors`);
    const o = fields['space origin'];
    if (o !== undefined) {
      const v = parseVector(o, fileName, 'space origin');
      if (!v || v.length !== 3) throw new Error(`${fileName}: NRRD space origin "${o}" must be a 3-vector`);
      originWorld = v;
    } else {
      const w = 'NRRD has no "space origin": origin taken as (0,0,0)';
      warnings.push(w);
      notes.push(w);
    }
    notes.push(`NRRD space ${spaceName}${sign[0] < 0 || sign[1] < 0 ? ' -> LPS' : ''}, geometry from space directions/space origin`);
  } else {
    const spacings = (fields.spacings ?? '').split(/\s+/).filter((s) => s !== '').map((s) => (s.toLowerCase() === 'nan' ? NaN : Number(s)));
    spatialAxes = sizes.map((_, a) => a).filter((a) => spacings.length === dimension ? Number.isFinite(spacings[a]) : true);
    directions = sizes.map((_, a) => {
      const idx = spatialAxes.indexOf(a);
      if (idx < 0) return undefined;
      const d = [0, 0, 0];
      d[idx] = spacings.length === dimension ? spacings[a] : 1;
      return d;
    });
    const w = 'NRRD has no "space": geometry from "spacings" only (identity LPS axes, origin 0); it is unlikely to match a DICOM series';
    warnings.push(w);
    notes.push(w);
  }
  if (spatialAxes.length !== 3) {
    throw new Error(`${fileName}: NRRD has ${spatialAxes.length} spatial axes (sizes ${sizes.join(' ')}); a 3D volume is required`);
  }
  const nonSpatial = sizes.map((_, a) => a).filter((a) => !spatialAxes.includes(a));
  if (nonSpatial.length > 1) {
    throw new Error(`${fileName}: NRRD has ${nonSpatial.length} non-spatial axes (sizes ${sizes.join(' ')}); at most one (a label layer axis) is supported`);
  }
  const kinds = fields.kinds?.split(/\s+/) ?? [];
  const componentAxis = nonSpatial[0];
  const componentKind = componentAxis === undefined ? undefined : kinds[componentAxis];

  const sizeIJK = spatialAxes.map((a) => sizes[a]) as Vec3;
  const matrix = new Array<number>(9);
  for (let c = 0; c < 3; c++) {
    const d = directions[spatialAxes[c]]!;
    for (let r = 0; r < 3; r++) matrix[3 * r + c] = d[r] * sign[r];
  }
  const offsetLPS: Vec3 = [originWorld[0] * sign[0], originWorld[1] * sign[1], originWorld[2] * sign[2]];
  const geometry = geometryFromLpsAffine(sizeIJK, matrix, offsetLPS, `${fileName} (NRRD)`);

  // Data.
  const encoding = req('encoding').toLowerCase();
  const endian = (fields.endian ?? 'little').toLowerCase();
  if (info.bytes > 1 && fields.endian === undefined && encoding !== 'ascii' && encoding !== 'text' && encoding !== 'txt') {
    throw new Error(`${fileName}: NRRD lacks "endian" for multi-byte type ${typeName}`);
  }
  const le = endian === 'little';
  const lineSkip = Number(fields['line skip'] ?? fields.lineskip ?? 0);
  for (let l = 0; l < lineSkip; l++) {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new Error(`${fileName}: NRRD line skip ${lineSkip} runs past the end of the file`);
    pos = end + 1;
  }
  const total = sizes.reduce((a, b) => a * b, 1);
  let payload = bytes.subarray(pos);
  if (encoding === 'gzip' || encoding === 'gz') payload = gunzipNamed(payload, fileName);
  else if (encoding !== 'raw' && encoding !== 'ascii' && encoding !== 'text' && encoding !== 'txt') {
    throw new Error(`${fileName}: unsupported NRRD encoding "${fields.encoding}" (supported: raw, gzip, ascii)`);
  }
  const byteSkip = Number(fields['byte skip'] ?? fields.byteskip ?? 0);
  const flat = info.make(total);
  if (encoding === 'ascii' || encoding === 'text' || encoding === 'txt') {
    const tokens = latin1(payload).trim().split(/[\s,]+/);
    if (tokens.length < total) throw new Error(`${fileName}: NRRD ascii data has ${tokens.length} values, ${total} expected`);
    for (let i = 0; i < total; i++) info.parse(flat, i, tokens[i]);
  } else {
    const start = byteSkip === -1 ? payload.length - total * info.bytes : byteSkip;
    if (start < 0 || payload.length < start + total * info.bytes) {
      throw new Error(`${fileName}: NRRD data truncated: sizes ${sizes.join('x')} of ${typeName} need ${total * info.bytes} bytes, ${payload.length - Math.max(0, start)} present`);
    }
    const view = new DataView(payload.buffer, payload.byteOffset + start, total * info.bytes);
    for (let i = 0, o = 0; i < total; i++, o += info.bytes) info.set(flat, i, view, o, le);
  }

  let components: NrrdDataArray[];
  if (componentAxis === undefined) {
    components = [flat];
  } else {
    const nComp = sizes[componentAxis];
    const strides: number[] = [];
    let acc = 1;
    for (const n of sizes) {
      strides.push(acc);
      acc *= n;
    }
    const n3 = sizeIJK[0] * sizeIJK[1] * sizeIJK[2];
    components = [];
    const [a0, a1, a2] = spatialAxes;
    for (let c = 0; c < nComp; c++) {
      const out = info.make(n3);
      let o = 0;
      for (let k = 0; k < sizeIJK[2]; k++) {
        for (let j = 0; j < sizeIJK[1]; j++) {
          let s = c * strides[componentAxis] + k * strides[a2] + j * strides[a1];
          for (let i = 0; i < sizeIJK[0]; i++, s += strides[a0]) (out as Float64Array)[o++] = (flat as Float64Array)[s];
        }
      }
      components.push(out);
    }
    notes.push(`NRRD non-spatial axis ${componentAxis} (kind ${componentKind ?? 'unspecified'}) of size ${nComp} read as ${nComp} label layers`);
  }
  return { geometry, type: typeName, components, componentKind, keyValues, fields, notes, warnings };
}
