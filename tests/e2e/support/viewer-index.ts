/**
 * STAND-IN for the viewer's folder index until H2's dicom-index service and H6's `dicom:index` channel are wired:
 * walks a folder, reads headers with the core's parseDicomHeader, groups image instances by series and analyses each
 * stack with the core's analyzeStack, producing the renderer's FolderIndex (renderer/src/api/types.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDicomHeader } from '../../../wasm/src/dicom/header.ts';
import type { DicomInstanceHeader } from '../../../wasm/src/dicom/header.ts';
import { analyzeStack } from '../../../wasm/src/geometry/stack.ts';
import type { FolderIndex, SeriesSummary, SeriesWarning, StudySummary } from '../../../renderer/src/api/types.ts';

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

async function readHeader(file: string): Promise<DicomInstanceHeader | string> {
  const handle = await fs.open(file, 'r');
  try {
    const fileSizeBytes = (await handle.stat()).size;
    let size = 64 * 1024;
    for (;;) {
      const buffer = new Uint8Array(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      const result = parseDicomHeader(buffer.subarray(0, bytesRead), { fileSizeBytes });
      if (result.ok) return result.header;
      if (result.code === 'need-more-bytes' && result.neededBytes && result.neededBytes > size && bytesRead === size) {
        size = result.neededBytes;
        continue;
      }
      return `${result.code}: ${result.message}`;
    }
  } finally {
    await handle.close();
  }
}

export async function indexFolderForViewer(root: string): Promise<FolderIndex> {
  const skipped: FolderIndex['skipped'] = [];
  const bySeries = new Map<string, Array<{ file: string; header: DicomInstanceHeader }>>();
  for (const file of await listFiles(root)) {
    const header = await readHeader(file);
    if (typeof header === 'string') {
      skipped.push({ path: file, reason: header });
      continue;
    }
    if (!header.rows || !header.imagePositionPatient || !header.imageOrientationPatient || !header.pixelSpacingMm) {
      skipped.push({ path: file, reason: `not an image slice (${header.sopClassName || header.modality})` });
      continue;
    }
    const list = bySeries.get(header.seriesInstanceUid) ?? [];
    list.push({ file, header });
    bySeries.set(header.seriesInstanceUid, list);
  }
  const studies = new Map<string, StudySummary>();
  for (const [seriesUid, items] of bySeries) {
    const h = items[0].header;
    const analysis = analyzeStack(
      items.map((i) => ({ positionLPS: i.header.imagePositionPatient!, orientationLPS: i.header.imageOrientationPatient! })),
      { rows: h.rows!, columns: h.columns!, pixelSpacingMm: h.pixelSpacingMm!, fallbackSliceSpacingMm: h.sliceThicknessMm },
    );
    const warnings: SeriesWarning[] = analysis.problems.map((p) => ({
      kind: p.code === 'gap' ? 'gap' : p.code === 'tilt' ? 'tilt' : p.code === 'non-uniform-spacing' ? 'spacing' : p.code === 'oblique' ? 'orientation' : 'other',
      message: p.message,
    }));
    if (items.some((i) => i.header.lossy)) warnings.push({ kind: 'lossy', message: 'lossy compressed images' });
    const identifying = [...new Set(items.flatMap((i) => i.header.deidentification.identifyingFieldsPresent))];
    if (identifying.length > 0) warnings.push({ kind: 'identifying', message: `identifying data present: ${identifying.join(', ')}` });
    const series: SeriesSummary = {
      id: seriesUid,
      seriesInstanceUid: seriesUid,
      studyInstanceUid: h.studyInstanceUid,
      modality: h.modality,
      description: h.seriesDescription,
      seriesNumber: h.seriesNumber,
      sliceCount: items.length,
      rows: h.rows,
      columns: h.columns,
      spacingMm: analysis.geometry.spacingMm,
      sliceThicknessMm: h.sliceThicknessMm,
      files: analysis.order.map((k) => items[k].file),
      warnings,
    };
    const study = studies.get(h.studyInstanceUid) ?? {
      studyInstanceUid: h.studyInstanceUid,
      studyDate: h.studyDate,
      description: h.studyDescription,
      series: [],
    };
    study.series.push(series);
    studies.set(h.studyInstanceUid, study);
  }
  return { root, studies: [...studies.values()], skipped };
}
