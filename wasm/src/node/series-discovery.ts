/**
 * Discover image series in a folder tree (test / bench helper): every file whose DICOM header parses and that carries
 * monochrome-or-colour image Pixel Data (not SEG / RT / SR), grouped by (folder, SeriesInstanceUID, transfer syntax,
 * Rows, Columns). Multi-frame files and groups whose files share a slice position are split into one series per file
 * (e.g. the same slice stored in several transfer syntaxes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readInstanceHeader } from '../series/read-series.ts';
import type { DicomInstanceHeader } from '../dicom/header.ts';
import { fileSource } from './file-source.ts';

export interface DiscoveredSeries {
  /** Stable id: folder relative to the root + series UID suffix or file name. */
  id: string;
  files: string[];
  transferSyntaxUid: string;
  transferSyntaxName: string;
  modality: string;
  frames: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
}

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

const SKIP_EXT = new Set(['.md', '.tsv', '.txt', '.json', '.nii', '.gz', '.nrrd', '.py', '.html', '.png', '.jpg', '.csv', '.xml', '.pdf', '.mha', '.nhdr']);

export function discoverImageSeries(root: string): DiscoveredSeries[] {
  const files: string[] = [];
  walk(root, files);
  files.sort();
  const headers: { file: string; h: DicomInstanceHeader }[] = [];
  for (const file of files) {
    if (SKIP_EXT.has(path.extname(file).toLowerCase()) || path.basename(file).toUpperCase() === 'DICOMDIR') continue;
    const src = fileSource(file);
    try {
      if (src.sizeBytes < 16) continue;
      const { header } = readInstanceHeader(src);
      if (!header.pixelData || header.rows === undefined || header.columns === undefined) continue;
      if (header.sopCategory !== 'image') continue;
      headers.push({ file, h: header });
    } catch {
      // not DICOM or unreadable header: not part of an image series
    } finally {
      src.close();
    }
  }
  const groups = new Map<string, { file: string; h: DicomInstanceHeader }[]>();
  for (const e of headers) {
    const key = [path.dirname(e.file), e.h.seriesInstanceUid, e.h.transferSyntaxUid, e.h.rows, e.h.columns, e.h.numberOfFrames > 1 ? e.file : ''].join('|');
    const g = groups.get(key) ?? [];
    g.push(e);
    groups.set(key, g);
  }
  const out: DiscoveredSeries[] = [];
  for (const g of groups.values()) {
    const positions = g.map((e) => (e.h.imagePositionPatient ?? [NaN, NaN, NaN]).map((v) => v.toFixed(3)).join(','));
    const split = g.length > 1 && new Set(positions).size < g.length;
    const parts = split ? g.map((e) => [e]) : [g];
    for (const part of parts) {
      const h = part[0].h;
      const rel = path.relative(root, path.dirname(part[0].file));
      const id = part.length === 1 ? path.relative(root, part[0].file) : `${rel} [${h.seriesInstanceUid.slice(-12)} ${part.length} files]`;
      out.push({
        id,
        files: part.map((e) => e.file),
        transferSyntaxUid: h.transferSyntaxUid,
        transferSyntaxName: h.transferSyntaxName,
        modality: h.modality,
        frames: part.reduce((n, e) => n + e.h.numberOfFrames, 0),
        samplesPerPixel: h.samplesPerPixel ?? 1,
        photometricInterpretation: h.photometricInterpretation,
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
