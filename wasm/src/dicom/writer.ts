/**
 * A small DICOM Part 10 writer (runtime-neutral; returns bytes).
 *
 * Output layout: 128-byte zero preamble, "DICM", the File Meta Information group (0002) in Explicit VR Little Endian
 * with its group length, then the dataset in Explicit VR Little Endian (transfer syntax 1.2.840.10008.1.2.1).
 *
 * Datasets are given as arrays of {@link DicomElement}; they are sorted by tag on write (also inside sequence items),
 * and a duplicated tag is an error. Sequences and items are written with explicit lengths.
 *
 * Character set (SpecificCharacterSet, (0008,0005)):
 *  - The text VRs SH, LO, ST, LT, UT, UC and PN are encoded in the dataset's character set; every other string VR
 *    (CS, UI, DA, TM, DT, AS, AE, DS, IS) uses the default repertoire (ASCII) and refuses anything else.
 *  - When the caller gives (0008,0005), it is used: "ISO_IR 6" / empty (ASCII), "ISO_IR 100" (Latin-1) or
 *    "ISO_IR 192" (UTF-8); any other value, or text the declared set cannot hold, is an error naming the tag.
 *  - When the caller gives none and some text element (at any depth, sequences included) is non-ASCII, the writer adds
 *    (0008,0005) "ISO_IR 192" and writes UTF-8; an all-ASCII dataset is written without (0008,0005), as before.
 *  - A sequence item may carry its own (0008,0005); it then applies inside that item (PS3.5 §7.5.3 style).
 *  - Lengths: the VR's maximum is counted in characters (code points); padding to even length is counted in bytes
 *    after encoding (UTF-8 "ü" is 2 bytes).
 *
 * Value encoding:
 *  - String VRs take a string or an array of strings (joined with "\" for multi-valued VRs).
 *    DS and IS also take numbers: DS is formatted to at most 16 characters, IS must be an integer of at most 12.
 *  - Padding to even length: UI with "\0", OB/UN with 0x00, all other string VRs with a space.
 *  - US, SS, UL, SL, FL, FD take a number, a number array or a matching typed array.
 *  - AT takes tag numbers (e.g. 0x00209157), written as group then element, each uint16 little-endian.
 *  - OB/UN take a Uint8Array; OW takes a Uint16Array, Int16Array or Uint8Array (raw little-endian bytes).
 *  - SQ takes an array of items; each item is itself an array of elements.
 *  - `null` (or an empty string/array) writes a zero-length element, which is how DICOM type-2 attributes are left empty.
 * Values that do not fit their VR (too long, wrong characters for UI/DA/TM/CS, non-integer IS...) throw an error
 * naming the tag.
 */

import { CHARSET_DEPENDENT_VRS, charsetOf, encodeText, firstUnencodable, isAsciiText } from './charset.ts';
import type { TextCharset } from './charset.ts';

export type DicomVR =
  | 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'PN' | 'SH' | 'ST' | 'TM' | 'UC' | 'UI' | 'UT'
  | 'UL' | 'US' | 'SS' | 'SL' | 'FL' | 'FD' | 'AT' | 'OB' | 'OW' | 'UN' | 'SQ';

export type DicomNumericArray = Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export type DicomValue =
  | null
  | string
  | number
  | ReadonlyArray<string | number>
  | Uint8Array
  | DicomNumericArray
  | DicomItem[];

/** One sequence item: a list of elements (any order; sorted on write). */
export type DicomItem = DicomElement[];

export interface DicomElement {
  /** (group << 16) | element, e.g. 0x00100010 for PatientName. */
  tag: number;
  vr: DicomVR;
  value: DicomValue;
}

/** The transfer syntax this writer produces: Explicit VR Little Endian. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Default ImplementationClassUID written in the file meta group (a 2.25 UUID-derived root for this project). */
export const REMNANT_IMPLEMENTATION_CLASS_UID = '2.25.208950237818546098346186532861470617101';
export const REMNANT_IMPLEMENTATION_VERSION_NAME = 'REMNANT_0_1';

/** Build an element; `tag(group, element)` helps write tags readably. */
export function el(tag: number, vr: DicomVR, value: DicomValue): DicomElement {
  return { tag, vr, value };
}

export function tag(group: number, element: number): number {
  return ((group & 0xffff) << 16 | (element & 0xffff)) >>> 0;
}

/** "(gggg,eeee)" for messages. */
export function formatTag(t: number): string {
  const g = (t >>> 16).toString(16).padStart(4, '0').toUpperCase();
  const e = (t & 0xffff).toString(16).padStart(4, '0').toUpperCase();
  return `(${g},${e})`;
}

const LONG_HEADER_VRS = new Set<DicomVR>(['OB', 'OW', 'UN', 'SQ', 'UC', 'UT']);
const STRING_VRS = new Set<DicomVR>(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UT']);
const TAG_SPECIFIC_CHARACTER_SET = 0x00080005;
/** VRs whose value is a single text (backslash is an ordinary character, not a value separator). */
const SINGLE_TEXT_VRS = new Set<DicomVR>(['LT', 'ST', 'UT']);
/** Maximum length of one value in characters (PN: per component group, treated here as the whole value). */
const MAX_VALUE_CHARS: Partial<Record<DicomVR, number>> = {
  AE: 16, AS: 4, CS: 16, DA: 8, DS: 16, DT: 26, IS: 12, LO: 64, LT: 10240, PN: 64 * 3 + 2, SH: 16, ST: 1024, TM: 14, UI: 64,
};

/** Format a number as a DICOM Decimal String of at most 16 characters (shortest exact representation when it fits). */
export function formatDS(value: number, context = 'DS value'): string {
  if (!Number.isFinite(value)) throw new Error(`${context}: ${value} is not a finite number and cannot be written as DS`);
  if (Object.is(value, -0)) value = 0;
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let digits = 16; digits >= 1; digits--) {
    let s = value.toPrecision(digits);
    if (s.includes('e')) {
      // Exponent notation: trim the mantissa's trailing zeros ("1.500e+21" -> "1.5e+21").
      const [mantissa, exponent] = s.split('e') as [string, string];
      const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
      s = `${m}e${exponent}`;
    } else if (s.includes('.')) {
      s = s.replace(/0+$/, '').replace(/\.$/, '');
    }
    if (s.length <= 16) return s;
  }
  throw new Error(`${context}: ${value} cannot be formatted as DS in 16 characters`);
}

/** Format an integer as a DICOM Integer String (range of a signed 32-bit integer, at most 12 characters). */
export function formatIS(value: number, context = 'IS value'): string {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new Error(`${context}: ${value} is not a signed 32-bit integer and cannot be written as IS`);
  }
  return String(value);
}

function ctx(t: number, vr: DicomVR): string {
  return `DICOM element ${formatTag(t)} ${vr}`;
}

function charsetName(charset: TextCharset): string {
  return charset === 'utf8' ? 'ISO_IR 192 (UTF-8)' : charset === 'latin1' ? 'ISO_IR 100 (Latin-1)' : 'the default character repertoire (ASCII)';
}

function validateStringValue(t: number, vr: DicomVR, v: string, charset: TextCharset): void {
  const max = MAX_VALUE_CHARS[vr];
  if (max !== undefined && v.length > max) {
    const chars = Array.from(v).length;
    if (chars > max) throw new Error(`${ctx(t, vr)}: value "${v.slice(0, 80)}" is ${chars} characters, the VR allows ${max}`);
  }
  if (CHARSET_DEPENDENT_VRS.has(vr)) {
    const bad = firstUnencodable(v, charset);
    if (bad !== undefined) {
      const hint = charset === 'default' ? ' (declare SpecificCharacterSet (0008,0005) "ISO_IR 192", or leave it out and the writer adds it)' : '';
      throw new Error(`${ctx(t, vr)}: character "${bad}" in "${v.slice(0, 80)}" is not in ${charsetName(charset)}, the dataset's SpecificCharacterSet${hint}`);
    }
  } else if (!isAsciiText(v)) {
    throw new Error(`${ctx(t, vr)}: non-ASCII character in "${v.slice(0, 80)}" (${vr} always uses the default character repertoire)`);
  }
  const bad = (what: string): never => {
    throw new Error(`${ctx(t, vr)}: "${v}" is not a valid ${what}`);
  };
  switch (vr) {
    case 'UI':
      if (v !== '' && !/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(v)) bad('UID (digits and dots, no leading zeros)');
      break;
    case 'DA':
      if (v !== '' && !/^[0-9]{8}$/.test(v)) bad('date YYYYMMDD');
      break;
    case 'TM':
      if (v !== '' && !/^[0-9]{2}([0-9]{2}([0-9]{2}(\.[0-9]{1,6})?)?)?$/.test(v)) bad('time HHMMSS.FFFFFF');
      break;
    case 'CS':
      if (!/^[A-Z0-9 _]*$/.test(v)) bad('code string (upper case, digits, space, underscore)');
      break;
    case 'AS':
      if (v !== '' && !/^[0-9]{3}[DWMY]$/.test(v)) bad('age string nnnD/W/M/Y');
      break;
    case 'IS':
      if (v !== '' && !/^ *[+-]?[0-9]+ *$/.test(v)) bad('integer string');
      break;
    case 'DS':
      if (v !== '' && !/^ *[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? *$/.test(v)) bad('decimal string');
      break;
    default:
      break;
  }
  if (!SINGLE_TEXT_VRS.has(vr) && v.includes('\\')) bad('single value (contains a backslash; pass an array for multiple values)');
}

function stringOf(t: number, vr: DicomVR, value: DicomValue, charset: TextCharset): string {
  if (value === null) return '';
  if (typeof value === 'string') {
    if (SINGLE_TEXT_VRS.has(vr)) {
      validateStringValue(t, vr, value, charset);
      return value;
    }
    // A single string may still carry several values separated by backslashes.
    const parts = value.split('\\');
    for (const p of parts) validateStringValue(t, vr, p, charset);
    return value;
  }
  const items: ReadonlyArray<string | number> = typeof value === 'number' ? [value] : (value as ReadonlyArray<string | number>);
  if (!Array.isArray(items)) throw new Error(`${ctx(t, vr)}: expected a string, number or array of them`);
  if (SINGLE_TEXT_VRS.has(vr) && items.length > 1) throw new Error(`${ctx(t, vr)}: this VR holds a single value, got ${items.length}`);
  const parts = items.map((x) => {
    let s: string;
    if (typeof x === 'number') {
      if (vr === 'DS') s = formatDS(x, ctx(t, vr));
      else if (vr === 'IS') s = formatIS(x, ctx(t, vr));
      else throw new Error(`${ctx(t, vr)}: numbers are only accepted for DS and IS, got ${x}`);
    } else if (typeof x === 'string') {
      s = x;
    } else {
      throw new Error(`${ctx(t, vr)}: expected strings or numbers in the value array`);
    }
    validateStringValue(t, vr, s, charset);
    return s;
  });
  return parts.join('\\');
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function numericBytes(t: number, vr: DicomVR, value: DicomValue): Uint8Array {
  if (value === null) return new Uint8Array(0);
  let arr: ArrayLike<number>;
  if (typeof value === 'number') arr = [value];
  else if (ArrayBuffer.isView(value) && !(value instanceof Uint8Array)) arr = value as DicomNumericArray;
  else if (Array.isArray(value)) arr = value as unknown as number[];
  else throw new Error(`${ctx(t, vr)}: expected a number or an array of numbers`);
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4;
  const out = new Uint8Array(arr.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || Number.isNaN(x)) throw new Error(`${ctx(t, vr)}: value ${i} (${String(x)}) is not a number`);
    const o = i * size;
    const intRange = (lo: number, hi: number): void => {
      if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`${ctx(t, vr)}: value ${x} is not an integer in [${lo}, ${hi}]`);
    };
    switch (vr) {
      case 'US': intRange(0, 0xffff); dv.setUint16(o, x, true); break;
      case 'SS': intRange(-0x8000, 0x7fff); dv.setInt16(o, x, true); break;
      case 'UL': intRange(0, 0xffffffff); dv.setUint32(o, x, true); break;
      case 'SL': intRange(-0x80000000, 0x7fffffff); dv.setInt32(o, x, true); break;
      case 'FL': dv.setFloat32(o, x, true); break;
      case 'FD': dv.setFloat64(o, x, true); break;
      case 'AT':
        intRange(0, 0xffffffff);
        dv.setUint16(o, x >>> 16, true);
        dv.setUint16(o + 2, x & 0xffff, true);
        break;
      default: throw new Error(`${ctx(t, vr)}: not a numeric VR`);
    }
  }
  return out;
}

function binaryBytes(t: number, vr: DicomVR, value: DicomValue): Uint8Array {
  if (value === null) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (vr === 'OW' && (value instanceof Uint16Array || value instanceof Int16Array)) {
    // Typed arrays are in platform byte order; every supported JS runtime is little-endian, but check once to be safe.
    if (!LITTLE_ENDIAN_PLATFORM) throw new Error(`${ctx(t, vr)}: big-endian platforms are not supported`);
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new Error(`${ctx(t, vr)}: expected ${vr === 'OW' ? 'a Uint16Array, Int16Array or Uint8Array' : 'a Uint8Array'}`);
}

const LITTLE_ENDIAN_PLATFORM = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encoded value bytes of one element, padded to even length. Sequences are handled by the caller. */
function valueBytes(e: DicomElement, charset: TextCharset): Uint8Array {
  const { tag: t, vr, value } = e;
  let bytes: Uint8Array;
  let pad = 0x20;
  if (STRING_VRS.has(vr)) {
    const text = stringOf(t, vr, value, charset);
    try {
      bytes = CHARSET_DEPENDENT_VRS.has(vr) ? encodeText(text, charset) : asciiBytes(text);
    } catch (error) {
      throw new Error(`${ctx(t, vr)}: "${text.slice(0, 80)}" cannot be encoded: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (vr === 'UI') pad = 0x00;
  } else if (vr === 'OB' || vr === 'OW' || vr === 'UN') {
    bytes = binaryBytes(t, vr, value);
    pad = 0x00;
    if (vr === 'OW' && bytes.length % 2 !== 0) throw new Error(`${ctx(t, vr)}: OW data must have an even number of bytes, got ${bytes.length}`);
  } else if (vr === 'SQ') {
    throw new Error(`${ctx(t, vr)}: internal error, sequences are encoded separately`);
  } else {
    bytes = numericBytes(t, vr, value);
  }
  if (bytes.length % 2 === 1) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = pad;
    bytes = padded;
  }
  return bytes;
}

/** Accumulates chunks and concatenates them once. */
class ByteSink {
  chunks: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function header(t: number, vr: DicomVR, length: number): Uint8Array {
  const long = LONG_HEADER_VRS.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, t >>> 16, true);
  dv.setUint16(2, t & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) {
    if (length > 0xfffffffe) throw new Error(`${ctx(t, vr)}: value of ${length} bytes is too long for an explicit length`);
    dv.setUint32(8, length, true);
  } else {
    if (length > 0xffff) throw new Error(`${ctx(t, vr)}: value of ${length} bytes does not fit a 16-bit length field`);
    dv.setUint16(6, length, true);
  }
  return out;
}

function itemTagHeader(t: number, length: number): Uint8Array {
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, t >>> 16, true);
  dv.setUint16(2, t & 0xffff, true);
  dv.setUint32(4, length, true);
  return out;
}

function sortedChecked(elements: readonly DicomElement[], where: string): DicomElement[] {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.tag === sorted[i - 1]!.tag) throw new Error(`${where}: element ${formatTag(sorted[i]!.tag)} is given twice`);
  }
  for (const e of sorted) {
    if (!Number.isInteger(e.tag) || e.tag < 0 || e.tag > 0xffffffff) throw new Error(`${where}: invalid tag ${String(e.tag)}`);
    if ((e.tag >>> 16) === 0xfffe) throw new Error(`${where}: item/delimiter tags ${formatTag(e.tag)} are written by the writer, not given as elements`);
  }
  return sorted;
}

/** The values of a (0008,0005) element as given by a caller. */
function declaredCharsetValues(e: DicomElement): string[] {
  const v = e.value;
  if (v === null) return [];
  if (typeof v === 'string') return v.split('\\');
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new Error(`${ctx(e.tag, e.vr)}: SpecificCharacterSet must be a string or an array of strings`);
}

/** The charset a dataset or item declares with (0008,0005), or undefined when it declares none. */
function declaredCharset(elements: readonly DicomElement[], where: string): TextCharset | undefined {
  const e = elements.find((x) => x.tag === TAG_SPECIFIC_CHARACTER_SET);
  if (!e) return undefined;
  const info = charsetOf(declaredCharsetValues(e));
  if (!info.supported) {
    throw new Error(`${where}: SpecificCharacterSet (0008,0005) "${info.declared}" is not supported by this writer (use ISO_IR 192, ISO_IR 100 or leave it out)`);
  }
  return info.charset;
}

/** True when a text element (SH, LO, ST, LT, UT, UC, PN) holds a non-ASCII character, at any depth; items that declare their own (0008,0005) are left to that declaration. */
function hasNonAsciiText(elements: readonly DicomElement[]): boolean {
  for (const e of elements) {
    if (e.vr === 'SQ') {
      if (Array.isArray(e.value)) {
        for (const item of e.value as unknown[]) {
          if (Array.isArray(item) && !(item as DicomElement[]).some((x) => x.tag === TAG_SPECIFIC_CHARACTER_SET) && hasNonAsciiText(item as DicomElement[])) return true;
        }
      }
    } else if (CHARSET_DEPENDENT_VRS.has(e.vr)) {
      const v = e.value;
      if (typeof v === 'string' && !isAsciiText(v)) return true;
      if (Array.isArray(v) && v.some((x) => typeof x === 'string' && !isAsciiText(x))) return true;
    }
  }
  return false;
}

/**
 * The dataset with its character set resolved (module comment): the caller's (0008,0005) when given, else
 * "ISO_IR 192" added when some text is non-ASCII, else the default repertoire.
 */
export function withCharacterSet(elements: readonly DicomElement[], where = 'dataset'): { elements: readonly DicomElement[]; charset: TextCharset } {
  const declared = declaredCharset(elements, where);
  if (declared !== undefined) return { elements, charset: declared };
  if (hasNonAsciiText(elements)) return { elements: [...elements, el(TAG_SPECIFIC_CHARACTER_SET, 'CS', 'ISO_IR 192')], charset: 'utf8' };
  return { elements, charset: 'default' };
}

/**
 * Encode a dataset as an Explicit VR Little Endian byte stream (no preamble, no meta group). The character set is
 * resolved as for a whole dataset (see the module comment), so (0008,0005) "ISO_IR 192" may be added.
 */
export function encodeDataset(elements: readonly DicomElement[], where = 'dataset'): Uint8Array {
  const resolved = withCharacterSet(elements, where);
  const sink = new ByteSink();
  encodeInto(sink, resolved.elements, where, resolved.charset);
  return sink.concat();
}

function encodeInto(sink: ByteSink, elements: readonly DicomElement[], where: string, charset: TextCharset): void {
  for (const e of sortedChecked(elements, where)) {
    if (e.vr === 'SQ') {
      const items = e.value === null ? [] : e.value;
      if (!Array.isArray(items) || items.some((it) => !Array.isArray(it))) {
        throw new Error(`${ctx(e.tag, e.vr)}: a sequence value must be an array of items (arrays of elements)`);
      }
      const encodedItems = (items as DicomItem[]).map((item, n) => {
        const itemWhere = `${where} > ${formatTag(e.tag)} item ${n + 1}`;
        const itemSink = new ByteSink();
        encodeInto(itemSink, item, itemWhere, declaredCharset(item, itemWhere) ?? charset);
        return itemSink.concat();
      });
      const total = encodedItems.reduce((s, b) => s + 8 + b.length, 0);
      sink.push(header(e.tag, 'SQ', total));
      for (const b of encodedItems) {
        sink.push(itemTagHeader(0xfffee000, b.length));
        sink.push(b);
      }
    } else {
      const bytes = valueBytes(e, charset);
      sink.push(header(e.tag, e.vr, bytes.length));
      sink.push(bytes);
    }
  }
}

export interface Part10Options {
  /** Defaults to {@link REMNANT_IMPLEMENTATION_CLASS_UID}. */
  implementationClassUid?: string;
  /** Defaults to {@link REMNANT_IMPLEMENTATION_VERSION_NAME}. */
  implementationVersionName?: string;
  sourceApplicationEntityTitle?: string;
}

function findString(elements: readonly DicomElement[], t: number): string | undefined {
  const e = elements.find((x) => x.tag === t);
  if (!e) return undefined;
  if (typeof e.value === 'string') return e.value;
  if (Array.isArray(e.value) && e.value.length === 1 && typeof e.value[0] === 'string') return e.value[0];
  return undefined;
}

/**
 * Write a complete DICOM Part 10 file. The dataset must contain SOPClassUID (0008,0016) and SOPInstanceUID (0008,0018);
 * they become MediaStorageSOPClassUID / MediaStorageSOPInstanceUID. Group 0002 elements must not be in the dataset.
 */
export function writeDicomPart10(dataset: readonly DicomElement[], options: Part10Options = {}): Uint8Array {
  const sopClassUid = findString(dataset, 0x00080016);
  const sopInstanceUid = findString(dataset, 0x00080018);
  if (!sopClassUid) throw new Error('DICOM dataset: SOPClassUID (0008,0016) is missing; it is needed for the file meta group');
  if (!sopInstanceUid) throw new Error('DICOM dataset: SOPInstanceUID (0008,0018) is missing; it is needed for the file meta group');
  const metaInDataset = dataset.find((e) => e.tag >>> 16 === 0x0002);
  if (metaInDataset) throw new Error(`DICOM dataset: file meta element ${formatTag(metaInDataset.tag)} must not be in the dataset; the writer creates group 0002`);

  const meta: DicomElement[] = [
    el(0x00020001, 'OB', new Uint8Array([0x00, 0x01])),
    el(0x00020002, 'UI', sopClassUid),
    el(0x00020003, 'UI', sopInstanceUid),
    el(0x00020010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    el(0x00020012, 'UI', options.implementationClassUid ?? REMNANT_IMPLEMENTATION_CLASS_UID),
    el(0x00020013, 'SH', options.implementationVersionName ?? REMNANT_IMPLEMENTATION_VERSION_NAME),
  ];
  if (options.sourceApplicationEntityTitle) meta.push(el(0x00020016, 'AE', options.sourceApplicationEntityTitle));
  const metaSink = new ByteSink();
  encodeInto(metaSink, meta, 'file meta group', 'default');
  const metaBody = metaSink.concat();
  const lengthSink = new ByteSink();
  encodeInto(lengthSink, [el(0x00020000, 'UL', metaBody.length)], 'file meta group', 'default');
  const groupLength = lengthSink.concat();

  const sink = new ByteSink();
  sink.push(new Uint8Array(128));
  sink.push(asciiBytes('DICM'));
  sink.push(groupLength);
  sink.push(metaBody);
  const resolved = withCharacterSet(dataset, 'dataset');
  encodeInto(sink, resolved.elements, 'dataset', resolved.charset);
  return sink.concat();
}
