/**
 * Text for the report PDF's standard fonts (Helvetica, Courier: WinAnsiEncoding) and for PDF text strings.
 *
 * The printed (visible) text of the report uses the standard fonts, which cover Latin-1 and a few more characters
 * (ü, ë, ø, é, ß, œ, š, ž... print as they are). Characters outside WinAnsi are transliterated for print only:
 * symbols are spelled out (≥ -> >=), letters lose their diacritics (ř -> r, ő -> o, ș -> s), letters without a
 * decomposition use a small table (ł -> l, đ -> d, ı -> i, Cyrillic -> Latin), anything else prints as "?".
 * The exact Unicode text stays in the document information (UTF-16), the signature dictionary's /Name
 * (pdfTextString) and the embedded, signed report data (docs/signatures.md).
 */

/** The characters WinAnsiEncoding has beyond printable ASCII and Latin-1 0xA0-0xFF: its 0x80-0x9F block. */
const WIN_ANSI_EXTRA_CODES: ReadonlyMap<string, number> = new Map(
  Array.from('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ').map((ch, n) => [ch, [0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8e, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9e, 0x9f][n] as number]),
);
const WIN_ANSI_EXTRA = new Set(WIN_ANSI_EXTRA_CODES.keys());

export function isWinAnsi(ch: string): boolean {
  const cp = ch.codePointAt(0) as number;
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/** Symbols spelled out, as the report always did. */
const SYMBOLS: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '−': '-', '✓': 'v', '…': '...' };

/** Letters with no Unicode decomposition to a base letter. */
const LETTERS: Record<string, string> = {
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ı: 'i', ŀ: 'l', Ŀ: 'L', ŧ: 't', Ŧ: 'T', ĸ: 'k', ŋ: 'n', Ŋ: 'N', ſ: 's', ƒ: 'f',
  ə: 'e', Ə: 'E', ɨ: 'i', ʉ: 'u',
};

/** Russian/Ukrainian/Bulgarian/Serbian Cyrillic, a simple scientific-style romanisation (lower case; upper case derived). */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', ђ: 'dj', е: 'e', є: 'ie', ё: 'e', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'i', й: 'i',
  ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'c', у: 'u', ф: 'f', х: 'kh',
  ц: 'ts', ч: 'ch', џ: 'dz', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

function cyrillic(ch: string): string | undefined {
  const lower = ch.toLowerCase();
  const t = CYRILLIC[lower];
  if (t === undefined) return undefined;
  return lower === ch || t === '' ? t : t.charAt(0).toUpperCase() + t.slice(1);
}

/** One character in WinAnsi text (itself when encodable, else a transliteration or "?"). */
export function winAnsiChar(ch: string): string {
  const symbol = SYMBOLS[ch];
  if (symbol !== undefined) return symbol;
  if (isWinAnsi(ch)) return ch;
  const letter = LETTERS[ch] ?? cyrillic(ch);
  if (letter !== undefined) return letter;
  const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
  if (base !== '' && base !== ch && Array.from(base).every(isWinAnsi)) return base;
  return '?';
}

/** Text with every character printable in WinAnsiEncoding (see the module comment). */
export function winAnsiText(text: string): string {
  let out = '';
  // NFC first, so a decomposed "u + combining diaeresis" prints as the single WinAnsi "ü".
  for (const ch of text.normalize('NFC')) out += ch === '\n' || ch === '\r' || ch === '\t' ? ' ' : winAnsiChar(ch);
  return out;
}

/** A PDF literal string for a content stream shown with a WinAnsiEncoding font: transliterated, non-ASCII bytes octal-escaped. */
export function winAnsiLiteral(text: string): string {
  let out = '(';
  for (const ch of winAnsiText(text)) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else out += `\\${(WIN_ANSI_EXTRA_CODES.get(ch) ?? cp).toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/**
 * A PDF text string (PDF 32000-1 §7.9.2.2) holding the exact text: a literal string when it is printable ASCII,
 * else UTF-16BE with a byte order mark as a hex string.
 */
export function pdfTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[()\\]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** The text of a PDF hex string's digits (UTF-16BE after a FEFF byte order mark, else PDFDocEncoding read as Latin-1). */
export function decodePdfHexString(hex: string): string {
  const digits = hex.replace(/\s+/g, '');
  const padded = digits.length % 2 === 1 ? `${digits}0` : digits;
  const bytes: number[] = [];
  for (let i = 0; i < padded.length; i += 2) bytes.push(parseInt(padded.slice(i, i + 2), 16));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < bytes.length; i += 2) s += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
    return s;
  }
  return String.fromCharCode(...bytes);
}
