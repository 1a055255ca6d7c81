import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../../fixtures/src/shared-data.ts';
import { SourceContextError, sourceContextFromDicom } from './source-context.ts';

const pyd = sharedDataDir('pydicom-testfiles', 'test_files');

/** A real file with every occurrence of `oldText` replaced by bytes of the same length. */
function patched(file: string, oldText: string, replacement: Buffer): Uint8Array {
  const bytes = Buffer.from(readFileSync(file));
  expect(replacement.length).toBe(oldText.length);
  let n = 0;
  for (let at = bytes.indexOf(oldText, 0, 'latin1'); at >= 0; at = bytes.indexOf(oldText, at + 1, 'latin1')) {
    replacement.copy(bytes, at);
    n++;
  }
  expect(n).toBeGreaterThan(0);
  return new Uint8Array(bytes);
}

describe('sourceContextFromDicom character sets', () => {
  it('decodes a Latin-1 (ISO_IR 100) patient name into Unicode', () => {
    const bytes = patched(path.join(pyd, 'reportsi.dcm'), 'Last Name^First Name', Buffer.from('Hoëlscher^Jürgen    ', 'latin1'));
    expect(sourceContextFromDicom(bytes, 'reportsi.dcm').patientName).toBe('Hoëlscher^Jürgen');
  });

  it('reads ASCII values under an unsupported set (ISO 2022) and refuses non-ASCII ones, naming the set', () => {
    const file = path.join(pyd, 'J2K_pixelrep_mismatch.dcm');
    expect(sourceContextFromDicom(new Uint8Array(readFileSync(file)), 'j2k.dcm').patientName).toBe('JXD191021006');
    const bytes = patched(file, 'JXD191021006', Buffer.from([0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x20, 0x20]));
    // ISO 2022 JIS: escape sequences in 7-bit bytes.
    expect(() => sourceContextFromDicom(bytes, 'j2k.dcm')).toThrow(SourceContextError);
    expect(() => sourceContextFromDicom(bytes, 'j2k.dcm')).toThrow(/which Remnant cannot decode/);
    const high = patched(file, 'JXD191021006', Buffer.from('JXD19102100\xe9', 'latin1'));
    expect(() => sourceContextFromDicom(high, 'j2k.dcm')).toThrow(/j2k\.dcm: PatientName \(0010,0010\) is in character set "ISO 2022 IR 13\\ISO 2022 IR 87", which Remnant cannot decode/);
  });
});
