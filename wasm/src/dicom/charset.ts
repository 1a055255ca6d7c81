/**
 * DICOM character sets (PS3.5 §6.1, PS3.3 C.12.1.1.2): which bytes the text VRs SH, LO, ST, LT, UT, UC and PN hold,
 * given SpecificCharacterSet (0008,0005). Runtime-neutral: small UTF-8 / Latin-1 codecs, no TextEncoder/TextDecoder.
 *
 * Supported for reading and writing:
 *   (absent), "ISO_IR 6"                 default repertoire (ASCII); read leniently as Latin-1
 *   "ISO_IR 100"                         ISO 8859-1 (Latin-1)
 *   "ISO_IR 192"                         UTF-8
 * Every other value (ISO 2022 code extensions, GB18030, GBK, other ISO 8859 parts...) is read as Latin-1 with a
 * warning naming the character set; the writer refuses it. The other VRs (CS, UI, DA, TM, DT, AS, AE, DS, IS) always
 * use the default repertoire.
 */

export type TextCharset = 'default' | 'latin1' | 'utf8';

export interface CharsetInfo {
  charset: TextCharset;
  /** False when the declared character set is not one of the supported ones (decoded as Latin-1 instead). */
  supported: boolean;
  /** The declared value(s) joined with "\", '' when absent. */
  declared: string;
}

/** VRs whose value bytes depend on SpecificCharacterSet. */
export const CHARSET_DEPENDENT_VRS: ReadonlySet<string> = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC', 'PN']);

/** Interpret the (trimmed) values of SpecificCharacterSet (0008,0005). */
export function charsetOf(values: readonly string[]): CharsetInfo {
  const vs = values.map((v) => v.trim().toUpperCase());
  const declared = values.map((v) => v.trim()).join('\\');
  // A first value left empty means "default repertoire in G0" (ISO 2022 code extensions follow); with nothing else it is the default.
  const nonEmpty = vs.filter((v) => v !== '');
  if (nonEmpty.length === 0 || (nonEmpty.length === 1 && (nonEmpty[0] === 'ISO_IR 6' || nonEmpty[0] === 'ISO 2022 IR 6'))) {
    return { charset: 'default', supported: true, declared };
  }
  if (vs.length === 1 && vs[0] === 'ISO_IR 100') return { charset: 'latin1', supported: true, declared };
  if (vs.length === 1 && vs[0] === 'ISO_IR 192') return { charset: 'utf8', supported: true, declared };
  return { charset: 'latin1', supported: false, declared };
}

/** The SpecificCharacterSet value a writer puts for a charset ('' for the default repertoire). */
export function specificCharacterSetValue(charset: TextCharset): string {
  return charset === 'utf8' ? 'ISO_IR 192' : charset === 'latin1' ? 'ISO_IR 100' : '';
}

export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

/** Lenient UTF-8 decoder: malformed sequences, overlong forms and surrogates become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  let i = start;
  while (i < end) {
    const b = bytes[i] ?? 0;
    i++;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      continue;
    }
    let cp: number;
    let extra: number;
    let min: number;
    if (b >= 0xc2 && b < 0xe0) [cp, extra, min] = [b & 0x1f, 1, 0x80];
    else if (b >= 0xe0 && b < 0xf0) [cp, extra, min] = [b & 0x0f, 2, 0x800];
    else if (b >= 0xf0 && b < 0xf5) [cp, extra, min] = [b & 0x07, 3, 0x10000];
    else {
      s += '\ufffd';
      continue;
    }
    let k = 0;
    for (; k < extra; k++) {
      const c = bytes[i] ?? 0;
      if (i >= end || (c & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (c & 0x3f);
      i++;
    }
    s += k < extra || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  }
  return s;
}

/** UTF-8 bytes of a string; a lone surrogate (not a Unicode scalar value) is an error. */
export function encodeUtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const lo = s.charCodeAt(i + 1);
      if (!(lo >= 0xdc00 && lo <= 0xdfff)) throw new Error(`lone surrogate U+${cp.toString(16).toUpperCase()} at position ${i}`);
      cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      i++;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      throw new Error(`lone surrogate U+${cp.toString(16).toUpperCase()} at position ${i}`);
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** The first character a charset cannot hold (C1 controls 0x80-0x9F are not part of ISO_IR 100), or undefined. */
export function firstUnencodable(s: string, charset: TextCharset): string | undefined {
  if (charset === 'utf8') return undefined;
  const max = charset === 'latin1' ? 0xff : 0x7f;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x7f || cp > max || (cp >= 0x80 && cp <= 0x9f)) return ch;
  }
  return undefined;
}

/** Bytes of text in a charset; throws on a character the charset cannot hold (see firstUnencodable). */
export function encodeText(s: string, charset: TextCharset): Uint8Array {
  if (charset === 'utf8') return encodeUtf8(s);
  const bad = firstUnencodable(s, charset);
  if (bad !== undefined) throw new Error(`"${bad}" (U+${(bad.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}) is not in ${charset === 'latin1' ? 'ISO_IR 100 (Latin-1)' : 'the default character repertoire (ASCII)'}`);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Text of value bytes in a charset (the default repertoire is read as Latin-1: non-ASCII bytes survive visibly). */
export function decodeText(bytes: Uint8Array, start: number, end: number, charset: TextCharset): string {
  return charset === 'utf8' ? decodeUtf8(bytes, start, end) : decodeLatin1(bytes, start, end);
}

/** True when no UTF-16 code unit is above 0x7E (ASCII text, controls included). */
export function isAsciiText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return false;
  return true;
}
