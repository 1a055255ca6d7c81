/**
 * "Sign & export" of one case timepoint of the workspace: the same composition as `remnant report`
 * (report-service.ts: prepareReport -> signAndWriteReport), fed from the workspace instead of command-line flags:
 *
 *   - labels: the timepoint's autosaved role labelmap (the segmentation store's mirror of the engine), encoded as
 *     NIfTI exactly as `segmentation:exportNifti` writes it, measured through measureSeries like `remnant measure`
 *     would measure that export, and written beside the report (so `remnant verify --labels` can check it);
 *   - series: the bound series (source folder + SeriesInstanceUID);
 *   - anthropometrics: the case's, converted as the live panel converts them (measurementAnthropometrics);
 *   - baseline: the newest signed report of the case's baseline timepoint whose .json.p7s verifies, when there is one.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { encodeNifti1 } from '../../../../wasm/src/io/nifti-write.ts';
import { measurementAnthropometrics } from '../../../../wasm/src/measure/case-anthropometrics.ts';
import type { RoleMapping } from '../../../../wasm/src/measure/index.ts';
import type { CaseRecord } from '../workspace/types.ts';
import { MeasureInputError } from '../measure/measure-series.ts';
import type { PreviewKeyImage, ReportPreview } from './app-types.ts';
import { buildReportData } from './report-data.ts';
import type { ReportRecord, ReportSigner } from './report-data.ts';
import { renderReportKeyImages } from './report-pdf.ts';
import { prepareReport, reportOutputNames } from './report-service.ts';
import type { PreparedReport } from './report-service.ts';
import { reportFileStem } from './signed-report.ts';
import { verifyReportJson } from './verify-report.ts';
import type { OutputFile } from './write-files.ts';

/** Liver = every liver label present (1, 2, 10+t), tumours = each 10+t present in order, FLR = 2 when present. */
export function roleMappingFromLabelmap(labelmap: Uint8Array): RoleMapping {
  const present = new Uint8Array(256);
  for (let v = 0; v < labelmap.length; v++) present[labelmap[v] as number] = 1;
  const tumours: number[] = [];
  for (let l = 10; l < 256; l++) if (present[l]) tumours.push(l);
  const liver = [...(present[1] ? [1] : []), ...(present[2] ? [2] : []), ...tumours];
  return { liver, tumours, flr: present[2] ? [2] : [] };
}

export interface TimepointRef {
  /** The timepoint's folder in the workspace (parent of segmentation/ and exports/). */
  timepointDir: (timepointId: string) => string;
  caseRecord: CaseRecord;
  timepointId: string;
}

export interface BaselineLookup {
  file: string | null;
  note: string | null;
}

async function reportJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (d: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith('_volumetry.json')) out.push(path.join(d, e.name));
      else if (e.isDirectory() && depth > 0) await visit(path.join(d, e.name), depth - 1);
    }
  };
  await visit(dir, 1);
  return out;
}

/** The newest verified signed report of the case's baseline timepoint (another timepoint of kind baseline). */
export async function findBaselineReport(ref: TimepointRef): Promise<BaselineLookup> {
  const baseline = ref.caseRecord.timepoints.find((t) => t.kind === 'baseline' && t.id !== ref.timepointId);
  if (!baseline) return { file: null, note: null };
  const exportsDir = path.join(ref.timepointDir(baseline.id), 'exports');
  let best: { file: string; signedAt: string } | null = null;
  const rejected: string[] = [];
  for (const file of await reportJsonFiles(exportsDir)) {
    const bytes = new Uint8Array(await readFile(file));
    const verified = await verifyReportJson(file, bytes, {});
    if (!verified.ok) {
      rejected.push(`${file} (${verified.failures[0] ?? 'does not verify'})`);
      continue;
    }
    const record = JSON.parse(new TextDecoder().decode(bytes)) as ReportRecord;
    if (!best || record.signer.signedAt > best.signedAt) best = { file, signedAt: record.signer.signedAt };
  }
  if (best) return { file: best.file, note: null };
  const why = rejected.length > 0 ? `; reports that do not verify were ignored: ${rejected.join('; ')}` : '';
  return { file: null, note: `the baseline timepoint "${baseline.label}" has no signed report yet, so this report has no growth section (sign the baseline first)${why}` };
}

export interface TimepointReport {
  prepared: PreparedReport;
  subjectId: string;
  timepoint: string;
  /** The labelmap as written beside the report (NIfTI), and the SHA-256 of the raw labelmap it encodes. */
  labels: OutputFile;
  labelmapSha256: string;
  baselineReport: string | null;
  growthNote: string | null;
}

export interface TimepointReportRequest extends TimepointRef {
  labelmap: Uint8Array;
  geometry: ImageGeometry;
}

export function labelsFileName(subjectId: string, timepoint: string): string {
  return `${reportFileStem(subjectId, timepoint).replace(/_volumetry$/, '')}_labels.nii.gz`;
}

export async function prepareTimepointReport(request: TimepointReportRequest): Promise<TimepointReport> {
  const c = request.caseRecord;
  const tp = c.timepoints.find((t) => t.id === request.timepointId);
  if (!tp) throw new MeasureInputError(`case "${c.caseId}" has no timepoint "${request.timepointId}"`);
  if (!tp.series) throw new MeasureInputError(`timepoint "${tp.label}" is not bound to a series`);
  const mapping = roleMappingFromLabelmap(request.labelmap);
  if (mapping.liver.length === 0) throw new MeasureInputError(`the segmentation of ${c.subjectId}, ${tp.label} has no liver yet: segment the liver before signing`);
  const subjectId = c.subjectId;
  const timepoint = tp.id;
  const name = labelsFileName(subjectId, timepoint);
  const bytes = encodeNifti1(request.labelmap, request.geometry, { gzip: true, gzipLevel: 6, description: `Remnant role labelmap ${tp.series.seriesInstanceUid}`.slice(0, 79) });
  const baseline = await findBaselineReport(request);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'remnant-sign-'));
  try {
    const labelsFile = path.join(temp, name);
    await writeFile(labelsFile, bytes);
    const prepared = await prepareReport({
      measure: {
        seriesDir: tp.series.sourceFolder,
        seriesUid: tp.series.seriesInstanceUid,
        labelsFile,
        mapping,
        anthropometrics: measurementAnthropometrics(c.anthropometrics),
      },
      ...(baseline.file !== null ? { baselineFile: baseline.file } : {}),
      growthErrors: 'note',
    });
    return {
      prepared,
      subjectId,
      timepoint,
      labels: { name, bytes },
      labelmapSha256: createHash('sha256').update(request.labelmap).digest('hex'),
      baselineReport: prepared.baseline?.file ?? null,
      growthNote: prepared.growthProblem ?? baseline.note,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The preview: the report data the PDF is built from (without the signer, who is chosen at signing) and its key images. */
export function reportPreview(t: TimepointReport, ids: { previewId: string; caseId: string; timepointId: string; defaultOutDir: string }): ReportPreview {
  const placeholder: ReportSigner = {
    name: '-',
    role: '-',
    meaning: '-',
    signedAt: '',
    certificate: { subject: '', issuer: '', serialNumberHex: '', sha256: '', validFrom: '', validTo: '', selfSigned: true },
  };
  const data = buildReportData({
    outcome: t.prepared.outcome,
    seriesDir: t.prepared.seriesDir,
    subjectId: t.subjectId,
    timepoint: t.timepoint,
    signer: placeholder,
    growth: t.prepared.growth,
    baselineRecordSha256: t.prepared.baseline?.sha256 ?? null,
  });
  const { volume, roleLabelmap } = t.prepared.outcome;
  const keyImages: PreviewKeyImage[] = renderReportKeyImages(volume, roleLabelmap).map((k) => ({
    plane: k.image.plane,
    sliceIndex: k.image.sliceIndex,
    sliceCount: volume.geometry.sizeIJK[k.image.throughAxis],
    throughAxis: k.image.throughAxis,
    reason: k.reason,
    pngBase64: Buffer.from(k.png).toString('base64'),
    pngSha256: createHash('sha256').update(k.png).digest('hex'),
    width: k.image.width,
    height: k.image.height,
    orientation: { ...k.image.orientation },
    window: { center: k.window.center, width: k.window.width, units: volume.rescaleUnits },
    pixelSizeMm: k.image.pixelSizeMm,
  }));
  return {
    ...ids,
    subjectId: t.subjectId,
    timepoint: t.timepoint,
    identification: data.identification,
    measurement: data.measurement,
    growth: data.growth,
    baselineReport: t.baselineReport,
    growthNote: t.growthNote,
    inputs: { instanceCount: data.inputs.instances.length, labelFile: data.inputs.labelFile, labelmapSha256: data.inputs.labelmap.sha256 },
    keyImages,
    fileNames: reportOutputNames(t.subjectId, t.timepoint, [t.labels.name]),
  };
}
