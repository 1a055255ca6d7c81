/**
 * Low-level DICOM dataset walker (PS3.5 §7): turns bytes into a tree of element locations without copying values.
 * Runtime-neutral. Every read is bounds-checked; every loop advances by at least 8 bytes; nesting depth is capped,
 * so parsing time is bounded by the input length. Values are decoded lazily by the accessors at the bottom.
 */

import { CHARSET_DEPENDENT_VRS, charsetOf, decodeText } from './charset.ts';
import type { CharsetInfo, TextCharset } from './charset.ts';

export interface RawElement {
  /** (group << 16) | element. */
  tag: number;
  /** Two-letter VR: from the stream for explicit VR, from the small dictionary below (or 'UN') for implicit VR. */
  vr: string;
  /** Byte offset of the value in the walked buffer. */
  valueOffset: number;
  /** Value length in bytes; -1 for undefined length. */
  length: number;
  /** Items when the element is a sequence. */
  items?: RawDataset[];
  /** Undefined-length non-sequence value (encapsulated pixel data): fragments are not walked here. */
  encapsulated?: boolean;
}

export interface RawDataset {
  elements: Map<number, RawElement>;
  /** Encoding of the buffer this dataset was read from. */
  littleEndian: boolean;
  bytes: Uint8Array;
}

export type WalkStop =
  | { kind: 'complete'; endOffset: number }
  /** Stopped at top-level Pixel Data (7FE0,0010); its element is recorded in the dataset. */
  | { kind: 'pixel-data'; element: RawElement };

export class DicomWalkError extends Error {
  readonly code: 'need-more-bytes' | 'truncated' | 'malformed';
  /** For need-more-bytes: the prefix length needed to make progress. */
  readonly neededBytes: number;
  constructor(code: 'need-more-bytes' | 'truncated' | 'malformed', message: string, neededBytes = 0) {
    super(message);
    this.code = code;
    this.neededBytes = neededBytes;
  }
}

export const TAG_PIXEL_DATA = 0x7fe00010;
const TAG_ITEM = 0xfffee000;
const TAG_ITEM_DELIMITATION = 0xfffee00d;
const TAG_SEQUENCE_DELIMITATION = 0xfffee0dd;
const MAX_DEPTH = 24;

/** VRs whose explicit encoding uses 2 reserved bytes and a 4-byte length (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const SHORT_VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'PN', 'SH', 'SL', 'SS', 'ST', 'TM', 'UI', 'UL', 'US']);

export function isKnownVr(vr: string): boolean {
  return LONG_VRS.has(vr) || SHORT_VRS.has(vr);
}

/**
 * VRs of the elements this project reads, for implicit VR streams (only these are decoded; other tags stay 'UN').
 * Sequences listed here are walked even when their length is defined.
 */
export const IMPLICIT_VR_DICTIONARY: ReadonlyMap<number, string> = new Map<number, string>([
  [0x00020010, 'UI'], [0x00041220, 'SQ'], [0x00041430, 'CS'], [0x00041500, 'CS'], [0x00041510, 'UI'], [0x00041511, 'UI'], [0x00041512, 'UI'],
  [0x00080005, 'CS'], [0x00080008, 'CS'], [0x00080016, 'UI'], [0x00080018, 'UI'], [0x00080020, 'DA'], [0x00080021, 'DA'], [0x00080022, 'DA'],
  [0x00080023, 'DA'], [0x00080030, 'TM'], [0x00080031, 'TM'], [0x00080032, 'TM'], [0x00080033, 'TM'], [0x00080050, 'SH'], [0x00080060, 'CS'],
  [0x00080070, 'LO'], [0x00080080, 'LO'], [0x00080081, 'ST'], [0x00080090, 'PN'], [0x00081030, 'LO'], [0x0008103e, 'LO'], [0x00081050, 'PN'],
  [0x00081070, 'PN'], [0x00081090, 'LO'], [0x00081115, 'SQ'], [0x00081140, 'SQ'], [0x0008114a, 'SQ'], [0x00081150, 'UI'], [0x00081155, 'UI'],
  [0x00082111, 'ST'], [0x00082112, 'SQ'], [0x00089124, 'SQ'], [0x00089205, 'CS'],
  [0x00100010, 'PN'], [0x00100020, 'LO'], [0x00100030, 'DA'], [0x00100040, 'CS'], [0x00101000, 'LO'], [0x00101001, 'PN'], [0x00101005, 'PN'],
  [0x00101010, 'AS'], [0x00101020, 'DS'], [0x00101030, 'DS'], [0x00101040, 'LO'], [0x00101060, 'PN'], [0x00102154, 'SH'], [0x00120062, 'CS'],
  [0x00120063, 'LO'], [0x00120064, 'SQ'],
  [0x00180015, 'CS'], [0x00180050, 'DS'], [0x00180088, 'DS'], [0x00181120, 'DS'], [0x00185100, 'CS'],
  [0x0020000d, 'UI'], [0x0020000e, 'UI'], [0x00200010, 'SH'], [0x00200011, 'IS'], [0x00200012, 'IS'], [0x00200013, 'IS'], [0x00200032, 'DS'],
  [0x00200037, 'DS'], [0x00200052, 'UI'], [0x00201041, 'DS'], [0x00209056, 'SH'], [0x00209057, 'UL'], [0x00209111, 'SQ'], [0x00209113, 'SQ'],
  [0x00209116, 'SQ'], [0x00209157, 'UL'],
  [0x00280002, 'US'], [0x00280004, 'CS'], [0x00280006, 'US'], [0x00280008, 'IS'], [0x00280010, 'US'], [0x00280011, 'US'], [0x00280030, 'DS'],
  [0x00280100, 'US'], [0x00280101, 'US'], [0x00280102, 'US'], [0x00280103, 'US'], [0x00281050, 'DS'], [0x00281051, 'DS'], [0x00281052, 'DS'],
  [0x00281053, 'DS'], [0x00281054, 'LO'], [0x00282110, 'CS'], [0x00282112, 'DS'], [0x00282114, 'CS'], [0x00289110, 'SQ'], [0x00289132, 'SQ'],
  [0x00289145, 'SQ'],
  [0x00321032, 'PN'], [0x00380010, 'LO'], [0x0040a375, 'SQ'], [0x00420011, 'OB'], [0x00420012, 'LO'],
  [0x00620001, 'CS'], [0x00700084, 'PN'], [0x00620002, 'SQ'], [0x00620004, 'US'], [0x00620005, 'LO'], [0x0062000a, 'SQ'], [0x0062000b, 'US'],
  [0x30060010, 'SQ'], [0x30060012, 'SQ'], [0x30060014, 'SQ'], [0x30060020, 'SQ'],
  [0x52009229, 'SQ'], [0x52009230, 'SQ'], [0x7fe00010, 'OW'],
]);

export function tagHex(tag: number): string {
  const g = (tag >>> 16).toString(16).toUpperCase().padStart(4, '0');
  const e = (tag & 0xffff).toString(16).toUpperCase().padStart(4, '0');
  return `(${g},${e})`;
}

interface WalkContext {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  explicitVr: boolean;
  /** Total size of the stream the buffer is a prefix of (bytes.length when the buffer is the whole stream). */
  streamLength: number;
  warnings: string[];
}

function need(ctx: WalkContext, end: number, what: string): void {
  if (end <= ctx.bytes.length) return;
  if (end <= ctx.streamLength) throw new DicomWalkError('need-more-bytes', `need ${end} bytes to read ${what}`, end);
  throw new DicomWalkError('truncated', `${what} ends at byte ${end} but the data ends at byte ${ctx.streamLength}`);
}

function readTag(ctx: WalkContext, pos: number, littleEndian: boolean): number {
  need(ctx, pos + 4, `the element tag at byte ${pos}`);
  const g = ctx.view.getUint16(pos, littleEndian);
  const e = ctx.view.getUint16(pos + 2, littleEndian);
  return ((g << 16) | e) >>> 0;
}

function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}

interface ElementHeader {
  tag: number;
  vr: string;
  length: number;
  valueOffset: number;
}

function readElementHeader(ctx: WalkContext, pos: number, littleEndian: boolean, explicitVr: boolean): ElementHeader {
  const tag = readTag(ctx, pos, littleEndian);
  // Item and delimiter tags never carry a VR, whatever the transfer syntax.
  if (!explicitVr || tag >>> 16 === 0xfffe) {
    need(ctx, pos + 8, `the header of element ${tagHex(tag)} at byte ${pos}`);
    const length = ctx.view.getUint32(pos + 4, littleEndian);
    return { tag, vr: IMPLICIT_VR_DICTIONARY.get(tag) ?? 'UN', length: length === 0xffffffff ? -1 : length, valueOffset: pos + 8 };
  }
  need(ctx, pos + 8, `the header of element ${tagHex(tag)} at byte ${pos}`);
  const b0 = ctx.bytes[pos + 4] ?? 0;
  const b1 = ctx.bytes[pos + 5] ?? 0;
  if (!isUpper(b0) || !isUpper(b1)) {
    throw new DicomWalkError('malformed', `element ${tagHex(tag)} at byte ${pos} has an invalid VR (bytes 0x${b0.toString(16)} 0x${b1.toString(16)})`);
  }
  const vr = String.fromCharCode(b0, b1);
  if (LONG_VRS.has(vr)) {
    need(ctx, pos + 12, `the header of element ${tagHex(tag)} at byte ${pos}`);
    const length = ctx.view.getUint32(pos + 8, littleEndian);
    return { tag, vr, length: length === 0xffffffff ? -1 : length, valueOffset: pos + 12 };
  }
  if (!SHORT_VRS.has(vr)) {
    throw new DicomWalkError('malformed', `element ${tagHex(tag)} at byte ${pos} has unknown VR '${vr}'`);
  }
  return { tag, vr, length: ctx.view.getUint16(pos + 6, littleEndian), valueOffset: pos + 8 };
}

function looksLikeSequence(ctx: WalkContext, h: ElementHeader, littleEndian: boolean): boolean {
  if (h.vr === 'SQ') return true;
  if (h.tag === TAG_PIXEL_DATA) return false;
  if (h.vr === 'UN' || h.vr === 'OB' || h.vr === 'OW') {
    // Implicit VR, or UN: an undefined length means a sequence (PS3.5 §6.2.2 note); a defined length is a sequence
    // when the value starts with an Item tag (no registered binary value plausibly starts with FFFE,E000).
    if (h.length === -1) return h.vr === 'UN';
    if (h.length >= 8 && h.valueOffset + 4 <= ctx.bytes.length) {
      return readTag(ctx, h.valueOffset, littleEndian) === TAG_ITEM;
    }
  }
  return false;
}

/** Walk a dataset from `start` to `end` (exclusive) or, when end is undefined, until an Item Delimitation tag. */
function walkDataset(
  ctx: WalkContext,
  start: number,
  end: number | undefined,
  littleEndian: boolean,
  explicitVr: boolean,
  depth: number,
  topLevel: boolean,
  into: RawDataset,
): { endOffset: number; pixelData?: RawElement } {
  if (depth > MAX_DEPTH) throw new DicomWalkError('malformed', `sequences nested deeper than ${MAX_DEPTH} levels at byte ${start}`);
  let pos = start;
  const limit = end ?? Number.POSITIVE_INFINITY;
  while (pos < limit) {
    if (topLevel && pos >= ctx.streamLength) break;
    if (end === undefined && pos >= ctx.streamLength) {
      throw new DicomWalkError('truncated', `an undefined-length item starting before byte ${start} has no Item Delimitation before the end of the data`);
    }
    const h = readElementHeader(ctx, pos, littleEndian, explicitVr);
    if (h.tag === TAG_ITEM_DELIMITATION) {
      if (end === undefined) return { endOffset: pos + 8 };
      // Stray delimiter inside a defined-length item: tolerate, as most toolkits do.
      pos += 8;
      continue;
    }
    if (h.tag === TAG_ITEM || h.tag === TAG_SEQUENCE_DELIMITATION) {
      // A stray sequence delimiter with zero length at the top level is tolerated (seen in the wild) only at the top.
      if (h.tag === TAG_SEQUENCE_DELIMITATION && h.length === 0) {
        pos += 8;
        continue;
      }
      throw new DicomWalkError('malformed', `unexpected ${tagHex(h.tag)} at byte ${pos} outside a sequence`);
    }
    const el: RawElement = { tag: h.tag, vr: h.vr, valueOffset: h.valueOffset, length: h.length };
    if (topLevel && depth === 0 && h.tag === TAG_PIXEL_DATA) {
      if (h.length === -1) el.encapsulated = true;
      into.elements.set(h.tag, el);
      return { endOffset: h.valueOffset, pixelData: el };
    }
    if (looksLikeSequence(ctx, h, littleEndian)) {
      // UN sequences are always encoded as Implicit VR Little Endian (PS3.5 §6.2.2).
      const seqLittle = h.vr === 'UN' ? true : littleEndian;
      const seqExplicit = h.vr === 'UN' ? false : explicitVr;
      el.items = [];
      pos = walkSequence(ctx, h, seqLittle, seqExplicit, depth + 1, el.items);
      into.elements.set(h.tag, el);
      continue;
    }
    if (h.length === -1) {
      // Undefined-length binary value (encapsulated pixel data, e.g. in an icon): skip its fragments.
      el.encapsulated = true;
      pos = skipFragments(ctx, h.valueOffset, littleEndian);
      into.elements.set(h.tag, el);
      continue;
    }
    const valueEnd = h.valueOffset + h.length;
    if (end !== undefined && valueEnd > end) {
      throw new DicomWalkError('malformed', `element ${tagHex(h.tag)} at byte ${pos} (length ${h.length}) overruns its enclosing item, which ends at byte ${end}`);
    }
    need(ctx, valueEnd, `the value of element ${tagHex(h.tag)} (length ${h.length}) at byte ${pos}`);
    into.elements.set(h.tag, el);
    pos = valueEnd;
  }
  if (end !== undefined && pos !== end && !topLevel) {
    throw new DicomWalkError('malformed', `item content overruns its declared end at byte ${end}`);
  }
  return { endOffset: pos };
}

function walkSequence(ctx: WalkContext, h: ElementHeader, littleEndian: boolean, explicitVr: boolean, depth: number, items: RawDataset[]): number {
  let seqEnd = h.length === -1 ? undefined : h.valueOffset + h.length;
  if (seqEnd !== undefined) need(ctx, seqEnd, `sequence ${tagHex(h.tag)} (length ${h.length})`);
  let pos = h.valueOffset;
  for (;;) {
    if (seqEnd !== undefined && pos >= seqEnd) {
      if (pos > seqEnd) throw new DicomWalkError('malformed', `items of sequence ${tagHex(h.tag)} overrun its declared length`);
      return pos;
    }
    need(ctx, pos + 8, `an item header of sequence ${tagHex(h.tag)}`);
    const tag = readTag(ctx, pos, littleEndian);
    const length = ctx.view.getUint32(pos + 4, littleEndian);
    if (tag === TAG_SEQUENCE_DELIMITATION) {
      if (seqEnd === undefined) return pos + 8;
      throw new DicomWalkError('malformed', `sequence delimiter inside defined-length sequence ${tagHex(h.tag)} at byte ${pos}`);
    }
    if (tag !== TAG_ITEM) {
      throw new DicomWalkError('malformed', `expected an Item in sequence ${tagHex(h.tag)} at byte ${pos}, found ${tagHex(tag)}`);
    }
    const item: RawDataset = { elements: new Map(), littleEndian, bytes: ctx.bytes };
    items.push(item);
    if (length === 0xffffffff) {
      pos = walkDataset(ctx, pos + 8, undefined, littleEndian, explicitVr, depth, false, item).endOffset;
    } else {
      let itemEnd = pos + 8 + length;
      if (itemEnd > ctx.streamLength && ctx.bytes.length >= ctx.streamLength) {
        // The last item declares more bytes than remain (lengths not fixed after an edit): accept it only if its
        // elements end exactly at the end of the data; otherwise it is truncated.
        const declaredEnd = itemEnd;
        try {
          walkDataset(ctx, pos + 8, ctx.streamLength, littleEndian, explicitVr, depth, false, item);
        } catch {
          need(ctx, declaredEnd, `an item of sequence ${tagHex(h.tag)} (length ${length})`);
        }
        ctx.warnings.push(`item at byte ${pos} of sequence ${tagHex(h.tag)} declares ${length} bytes, beyond the end of the data; read up to byte ${ctx.streamLength}`);
        itemEnd = ctx.streamLength;
        if (seqEnd !== undefined && seqEnd > itemEnd) seqEnd = itemEnd;
        pos = itemEnd;
        continue;
      }
      need(ctx, itemEnd, `an item of sequence ${tagHex(h.tag)} (length ${length})`);
      if (seqEnd !== undefined && itemEnd > seqEnd) {
        // Seen in the wild (e.g. DICOMDIRs edited without fixing lengths): read the item, as DCMTK does, and say so.
        ctx.warnings.push(`item at byte ${pos} overruns the declared length of sequence ${tagHex(h.tag)}; sequence extended to byte ${itemEnd}`);
        seqEnd = itemEnd;
      }
      walkDataset(ctx, pos + 8, itemEnd, littleEndian, explicitVr, depth, false, item);
      pos = itemEnd;
    }
  }
}

/** Skip encapsulated fragments from `pos` to just after the Sequence Delimitation Item. Returns the next offset. */
export function skipFragments(ctx: { bytes: Uint8Array; view: DataView; streamLength: number; littleEndian?: boolean }, start: number, littleEndian: boolean): number {
  const c: WalkContext = { bytes: ctx.bytes, view: ctx.view, littleEndian, explicitVr: true, streamLength: ctx.streamLength, warnings: [] };
  let pos = start;
  for (;;) {
    need(c, pos + 8, `an encapsulated fragment header at byte ${pos}`);
    const tag = readTag(c, pos, littleEndian);
    const length = c.view.getUint32(pos + 4, littleEndian);
    if (tag === TAG_SEQUENCE_DELIMITATION) return pos + 8;
    if (tag !== TAG_ITEM || length === 0xffffffff) throw new DicomWalkError('malformed', `expected an encapsulated fragment at byte ${pos}, found ${tagHex(tag)}`);
    need(c, pos + 8 + length, `an encapsulated fragment of ${length} bytes at byte ${pos}`);
    pos += 8 + length;
  }
}

export interface WalkOptions {
  littleEndian: boolean;
  explicitVr: boolean;
  /** Total length of the stream when `bytes` is only its prefix; defaults to bytes.length. */
  streamLength?: number;
  /** Stop at top-level Pixel Data (default true). */
  stopAtPixelData?: boolean;
}

/** Walk a top-level dataset starting at `start`. Throws DicomWalkError. */
export function walkTopLevel(bytes: Uint8Array, start: number, options: WalkOptions): { dataset: RawDataset; stop: WalkStop; warnings: string[] } {
  const ctx: WalkContext = {
    warnings: [],
    bytes,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    littleEndian: options.littleEndian,
    explicitVr: options.explicitVr,
    streamLength: options.streamLength ?? bytes.length,
  };
  const dataset: RawDataset = { elements: new Map(), littleEndian: options.littleEndian, bytes };
  const r = walkDataset(ctx, start, undefined, options.littleEndian, options.explicitVr, 0, true, dataset);
  if (r.pixelData) return { dataset, stop: { kind: 'pixel-data', element: r.pixelData }, warnings: ctx.warnings };
  return { dataset, stop: { kind: 'complete', endOffset: r.endOffset }, warnings: ctx.warnings };
}

/** Walk the File Meta Information group (always Explicit VR Little Endian) from `start` while the group is 0002. */
export function walkMetaGroup(bytes: Uint8Array, start: number, streamLength: number): { dataset: RawDataset; endOffset: number } {
  const ctx: WalkContext = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), littleEndian: true, explicitVr: true, streamLength, warnings: [] };
  const dataset: RawDataset = { elements: new Map(), littleEndian: true, bytes };
  let pos = start;
  while (pos < streamLength) {
    const tag = readTag(ctx, pos, true);
    if (tag >>> 16 !== 0x0002) break;
    const h = readElementHeader(ctx, pos, true, true);
    if (h.length === -1) throw new DicomWalkError('malformed', `file meta element ${tagHex(h.tag)} has undefined length`);
    need(ctx, h.valueOffset + h.length, `file meta element ${tagHex(h.tag)}`);
    dataset.elements.set(h.tag, { tag: h.tag, vr: h.vr, valueOffset: h.valueOffset, length: h.length });
    pos = h.valueOffset + h.length;
  }
  return { dataset, endOffset: pos };
}

// ---------------------------------------------------------------------------------------------------------------
// Value accessors

export interface DecodeOptions {
  /** Character set of the text VRs (SH, LO, ST, LT, UT, UC, PN), from the dataset's SpecificCharacterSet (see charset.ts). Default: Latin-1. */
  charset?: TextCharset;
  /** Same as charset: 'utf8' (kept for older callers). */
  utf8?: boolean;
}

/** Raw string value with trailing padding (space / NUL) removed; undefined when absent. */
export function getString(ds: RawDataset, tag: number, opts: DecodeOptions = {}): string | undefined {
  const el = ds.elements.get(tag);
  if (!el || el.length < 0 || el.items) return undefined;
  const end = Math.min(el.valueOffset + el.length, ds.bytes.length);
  const charset: TextCharset = opts.charset ?? (opts.utf8 ? 'utf8' : 'latin1');
  // CS, UI, DA, ... are default repertoire whatever the dataset's character set: only text VRs use it.
  const raw = decodeText(ds.bytes, el.valueOffset, end, CHARSET_DEPENDENT_VRS.has(el.vr) || el.vr === 'UN' ? charset : 'latin1');
  return raw.replace(/[\0 ]+$/u, '').replace(/^ +/u, '');
}

/** Backslash-separated values, each trimmed. Empty array when absent or empty. */
export function getStrings(ds: RawDataset, tag: number, opts: DecodeOptions = {}): string[] {
  const s = getString(ds, tag, opts);
  if (s === undefined || s === '') return [];
  return s.split('\\').map((v) => v.replace(/[\0 ]+$/u, '').replace(/^ +/u, ''));
}

/** Numbers from a DS/IS string or a binary US/SS/UL/SL/FL/FD value. NaN entries mark unparsable text values. */
export function getNumbers(ds: RawDataset, tag: number, fallbackVr?: string): number[] {
  const el = ds.elements.get(tag);
  if (!el || el.length <= 0 || el.items) return [];
  let vr = el.vr;
  if (vr === 'UN' || vr === 'OB' || vr === 'OW') vr = fallbackVr ?? IMPLICIT_VR_DICTIONARY.get(tag) ?? 'UN';
  const end = Math.min(el.valueOffset + el.length, ds.bytes.length);
  const view = new DataView(ds.bytes.buffer, ds.bytes.byteOffset, ds.bytes.byteLength);
  const le = ds.littleEndian;
  const out: number[] = [];
  const binary = (size: number, read: (o: number) => number): number[] => {
    for (let o = el.valueOffset; o + size <= end; o += size) out.push(read(o));
    return out;
  };
  switch (vr) {
    case 'US': return binary(2, (o) => view.getUint16(o, le));
    case 'SS': return binary(2, (o) => view.getInt16(o, le));
    case 'UL': return binary(4, (o) => view.getUint32(o, le));
    case 'SL': return binary(4, (o) => view.getInt32(o, le));
    case 'FL': return binary(4, (o) => view.getFloat32(o, le));
    case 'FD': return binary(8, (o) => view.getFloat64(o, le));
    case 'DS':
    case 'IS':
      return getStrings(ds, tag).filter((v) => v !== '').map(parseDecimalString);
    default:
      return [];
  }
}

/** Strict decimal string parse (DS/IS): NaN when the text is not a number, instead of parseFloat's prefix parsing. */
export function parseDecimalString(text: string): number {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/u.test(t)) return Number.NaN;
  return Number(t);
}

export function getNumber(ds: RawDataset, tag: number, fallbackVr?: string): number | undefined {
  const v = getNumbers(ds, tag, fallbackVr);
  return v.length > 0 ? v[0] : undefined;
}

export function getItems(ds: RawDataset, tag: number): RawDataset[] {
  return ds.elements.get(tag)?.items ?? [];
}

/** True when the element is present with a non-empty value (for sequences: at least one item). */
export function hasNonEmpty(ds: RawDataset, tag: number): boolean {
  const el = ds.elements.get(tag);
  if (!el) return false;
  if (el.items) return el.items.length > 0;
  if (el.length === 0) return false;
  const s = getString(ds, tag);
  return s === undefined ? el.length !== 0 : s.replace(/[\\^ ]/gu, '') !== '';
}

/**
 * The character set of a dataset's text values: its own SpecificCharacterSet (0008,0005) when it has one, else the
 * inherited one (a sequence item inherits its parent's). Unsupported sets are read as Latin-1 (info.supported false).
 */
export function datasetCharset(ds: RawDataset, inherited?: CharsetInfo): CharsetInfo {
  const el = ds.elements.get(0x00080005);
  if (!el) return inherited ?? charsetOf([]);
  const end = Math.min(el.valueOffset + Math.max(el.length, 0), ds.bytes.length);
  const raw = decodeText(ds.bytes, el.valueOffset, end, 'latin1').replace(/[\0 ]+$/u, '');
  return charsetOf(raw.split('\\'));
}
