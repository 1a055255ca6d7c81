import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { decodePdfHexString, pdfTextString, winAnsiLiteral, winAnsiText } from './pdf-text.ts';

describe('winAnsiText (printed text in the standard fonts)', () => {
  it('keeps WinAnsi letters, transliterates the rest, and Helvetica encodes every result', async () => {
    const cases: Array<[string, string]> = [
      ['Müller^Jo', 'Müller^Jo'],
      ['Hoëlscher', 'Hoëlscher'],
      ['Ødegård^Åse', 'Ødegård^Åse'],
      ['Šťastný^Jiří', 'Štastný^Jirí'],
      ['Łukasiewicz^Michał', 'Lukasiewicz^Michal'],
      ['Dvořák', 'Dvorák'],
      ['Đorđević^Nikola', 'Dordevic^Nikola'],
      ['Yılmaz^Ömer', 'Yilmaz^Ömer'],
      ['Щербаков^Юрий', 'Shcherbakov^Iurii'],
      ['u\u0308ber', 'über'], // decomposed input prints composed
      ['sTLV ≥ 30 %', 'sTLV >= 30 %'],
      ['王^小明', '?^??'],
    ];
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    for (const [input, printed] of cases) {
      expect(winAnsiText(input)).toBe(printed);
      expect(() => font.encodeText(printed)).not.toThrow();
    }
  });

  it('writes WinAnsi bytes for content streams, including the 0x80-0x9F block', () => {
    expect(winAnsiLiteral('Šüř (x)')).toBe('(\\212\\374r \\(x\\))');
  });
});

describe('pdfTextString', () => {
  it('keeps ASCII literal and writes anything else as UTF-16BE that decodes to the exact text', () => {
    expect(pdfTextString('Doe^Jane (a)')).toBe('(Doe^Jane \\(a\\))');
    for (const name of ['Łukasiewicz^Jan', 'Müller^Jo', '王^小明', 'emoji 😀']) {
      const s = pdfTextString(name);
      expect(s).toMatch(/^<FEFF[0-9A-F]+>$/);
      expect(decodePdfHexString(s.slice(1, -1))).toBe(name);
    }
  });
});
