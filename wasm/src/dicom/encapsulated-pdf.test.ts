import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ENCAPSULATED_PDF_SOP_CLASS, buildEncapsulatedPdf, extractEncapsulatedDocument } from './encapsulated-pdf.ts';
import { parseDicomHeader } from './header.ts';
import type { DerivedInstanceInfo, SourceContext } from './seg-export.ts';
import { writeDicomPart10, el } from './writer.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'remnant-enc-pdf-'));

function run(cmd: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

const source: SourceContext = {
  patientName: 'TEST^PATIENT', patientId: 'P-1', patientBirthDate: '', patientSex: 'F',
  studyInstanceUid: '1.2.826.0.1.3680043.10.1', studyDate: '20250102', studyTime: '101500', studyId: 'S1', accessionNumber: '',
  referringPhysicianName: '', studyDescription: '', seriesInstanceUid: '1.2.826.0.1.3680043.10.2', frameOfReferenceUid: '1.2.826.0.1.3680043.10.9',
  modality: 'CT', sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
};
const instance: DerivedInstanceInfo = {
  seriesInstanceUid: '1.2.826.0.1.3680043.10.30', sopInstanceUid: '1.2.826.0.1.3680043.10.31', seriesNumber: 9703, instanceNumber: 1,
  seriesDescription: 'Remnant report', contentDate: '20250103', contentTime: '120000',
};

async function pdfOfParity(odd: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Remnant test report');
  doc.addPage([200, 200]).drawText('FLR 30.1 %', { x: 20, y: 100, size: 12 });
  let bytes = await doc.save({ useObjectStreams: false });
  // pdf-lib ends with "%%EOF"; add a trailing LF (allowed after %%EOF) to get the wanted parity.
  if ((bytes.length % 2 === 1) !== odd) bytes = Uint8Array.from([...bytes, 0x0a]);
  return bytes;
}

describe('buildEncapsulatedPdf', () => {
  for (const odd of [true, false]) {
    it(`${odd ? 'odd' : 'even'}-length PDF: dciodvfy clean, EncapsulatedDocumentLength recorded, extracted bytes identical and still a valid PDF`, async () => {
      const pdf = await pdfOfParity(odd);
      expect(pdf.length % 2).toBe(odd ? 1 : 0);
      // The odd case also carries non-ASCII text: UTF-8 with SpecificCharacterSet ISO_IR 192.
      const title = odd ? 'Lebervolumetrie – Bericht für Ødegård' : 'Liver volumetry report';
      const src = odd ? { ...source, patientName: 'Ødegård^Åse' } : source;
      const built = buildEncapsulatedPdf({ pdf, source: src, instance, documentTitle: title, sourceInstances: [{ sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4', sopInstanceUid: '1.2.826.0.1.3680043.10.21' }] });
      expect(built.padBytes).toBe(odd ? 1 : 0);
      const file = path.join(tmp, `report-${odd ? 'odd' : 'even'}.dcm`);
      writeFileSync(file, built.bytes);
      const v = run('dciodvfy', [file]);
      expect(v.out.split('\n').filter((l) => l.includes('Error'))).toEqual([]);
      const dump = run('dcmdump', ['+U8', file]).out;
      expect(dump).toContain(`(0042,0015) UL ${pdf.length}`);
      // (dcmdump +U8 shows ISO_IR 192 after converting any file, so the raw dump tells whether the writer added it.)
      expect(run('dcmdump', [file]).out.includes('(0008,0005) CS [ISO_IR 192]')).toBe(odd);
      expect(dump).toContain(`(0010,0010) PN [${src.patientName}]`);
      expect(dump).toContain('(0042,0012) LO [application/pdf]');
      expect(dump).toContain('(0028,0301) CS [YES]');
      expect(dump).toContain('(0008,0060) CS [DOC]');
      const header = parseDicomHeader(built.bytes);
      if (!header.ok) throw new Error(header.message);
      expect(header.header.sopClassUid).toBe(ENCAPSULATED_PDF_SOP_CLASS);
      expect(header.header.studyInstanceUid).toBe(source.studyInstanceUid);
      const out = extractEncapsulatedDocument(built.bytes, file);
      expect(out.mimeType).toBe('application/pdf');
      expect(out.title).toBe(title);
      expect(header.header.patientName).toBe(src.patientName);
      expect(Buffer.from(out.document).equals(Buffer.from(pdf))).toBe(true);
      const extracted = path.join(tmp, `extracted-${odd ? 'odd' : 'even'}.pdf`);
      writeFileSync(extracted, out.document);
      expect(run('qpdf', ['--check', extracted]).code).toBe(0);
    });
  }

  it('without EncapsulatedDocumentLength, strips only a NUL pad after %%EOF', async () => {
    const pdf = await pdfOfParity(true);
    const padded = Uint8Array.from([...pdf, 0]);
    const bytes = writeDicomPart10([el(0x00080016, 'UI', ENCAPSULATED_PDF_SOP_CLASS), el(0x00080018, 'UI', '1.2.3.4'), el(0x00420011, 'OB', padded), el(0x00420012, 'LO', 'application/pdf')]);
    const trailingLf = String.fromCharCode(pdf[pdf.length - 1]!) === '\n';
    const expected = trailingLf ? padded : pdf; // a PDF ending "%%EOF\n" + NUL keeps the NUL: only "%%EOF" + NUL is a recognised pad
    expect(Buffer.from(extractEncapsulatedDocument(bytes, 'legacy.dcm').document).equals(Buffer.from(expected))).toBe(true);
  });

  it('refuses non-PDF input and reports a malformed length naming the file', () => {
    expect(() => buildEncapsulatedPdf({ pdf: new TextEncoder().encode('hello'), source, instance })).toThrow(/not a PDF/);
    const bytes = writeDicomPart10([el(0x00080016, 'UI', ENCAPSULATED_PDF_SOP_CLASS), el(0x00080018, 'UI', '1.2.3.4'), el(0x00420011, 'OB', new Uint8Array(8)), el(0x00420015, 'UL', 20)]);
    expect(() => extractEncapsulatedDocument(bytes, 'bad.dcm')).toThrow(/bad\.dcm: EncapsulatedDocumentLength 20/);
    expect(() => extractEncapsulatedDocument(new Uint8Array(10), 'junk.dcm')).toThrow(/junk\.dcm: not a readable DICOM/);
  });
});
