/**
 * The case workspace (docs/workspace.md). All writes go through this main-process service.
 *
 *   <workspace>/workspace.json                                   { schemaVersion, kind: "remnant-workspace", ... }
 *   <workspace>/cases/<caseId>/case.json                         subject, anthropometrics, timepoints + series binding
 *   <workspace>/cases/<caseId>/timepoints/<timepointId>/segmentation/   snapshots + journals (segmentation-store.ts)
 *
 * JSON files are written atomically and validated on read; a malformed file gives an error naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Anthropometrics } from '../../../../wasm/src/dicom/header.ts';
import { writeFileAtomic } from './durable-io.ts';
import type { CaseAnthropometrics, CaseRecord, SegmentStyle, SeriesBinding, Timepoint, TimepointKind } from './types.ts';
import { SegmentationStore } from './segmentation-store.ts';
import type { SegmentationIdentity, StoreOptions } from './segmentation-store.ts';

export const WORKSPACE_SCHEMA_VERSION = 1;
export const CASE_SCHEMA_VERSION = 1;

export type { CaseAnthropometrics, CaseRecord, SegmentStyle, SeriesBinding, Sex, Timepoint, TimepointKind, ValueSource } from './types.ts';

export const SEGMENT_STYLES_SCHEMA_VERSION = 1;
/** Liver, FLR and at most 246 tumours (labels 10-255). */
export const MAX_SEGMENT_STYLES = 2 + 246;
export const MAX_SEGMENT_NAME_LENGTH = 64;
const SEGMENT_KEY_RE = /^(liver|flr|tumour:(\d{1,3}))$/;

/** Checks a segment style list (keys unique and known, names 1-64 characters, colours 0-255 integers); returns the problem or null. */
export function segmentStylesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'segments must be an array';
  if (value.length > MAX_SEGMENT_STYLES) return `at most ${MAX_SEGMENT_STYLES} segments`;
  const seen = new Set<string>();
  for (const [n, item] of value.entries()) {
    const s = item as Partial<SegmentStyle> | null;
    if (typeof s !== 'object' || s === null) return `segments[${n}] is not an object`;
    const m = typeof s.key === 'string' ? SEGMENT_KEY_RE.exec(s.key) : null;
    if (!m || (m[2] !== undefined && Number(m[2]) > 245)) return `segments[${n}].key ${JSON.stringify(s.key)} is not 'liver', 'flr' or 'tumour:<0-245>'`;
    if (seen.has(s.key as string)) return `segments[${n}].key "${s.key}" appears twice`;
    seen.add(s.key as string);
    if (typeof s.name !== 'string' || s.name.trim() === '' || s.name.length > MAX_SEGMENT_NAME_LENGTH) return `segments[${n}].name must be 1-${MAX_SEGMENT_NAME_LENGTH} characters, not blank`;
    if (!Array.isArray(s.color) || s.color.length !== 3 || !s.color.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) return `segments[${n}].color must be three integers 0-255`;
    if (typeof s.visible !== 'boolean' || typeof s.locked !== 'boolean') return `segments[${n}].visible and .locked must be booleans`;
  }
  return null;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkId(what: string, id: string): void {
  if (!ID_RE.test(id)) throw new Error(`${what} "${id}" must be 1-64 characters of letters, digits, '.', '_' or '-' and start with a letter or digit`);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); the file is damaged or partially written`, { cause: error });
  }
}

function validateCase(value: unknown, file: string): CaseRecord {
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const c = value as CaseRecord;
  if (c.schemaVersion !== CASE_SCHEMA_VERSION) fail(`schemaVersion ${String(c.schemaVersion)} is not supported (expected ${CASE_SCHEMA_VERSION})`);
  if (typeof c.caseId !== 'string' || typeof c.subjectId !== 'string') fail('caseId and subjectId must be strings');
  if (!Array.isArray(c.timepoints)) fail('timepoints must be an array');
  const a = c.anthropometrics;
  if (typeof a !== 'object' || a === null) fail('anthropometrics missing');
  for (const k of ['heightM', 'weightKg'] as const) if (a[k] !== null && !(typeof a[k] === 'number' && a[k] > 0)) fail(`anthropometrics.${k} must be a positive number or null`);
  for (const tp of c.timepoints) {
    if (typeof tp.id !== 'string' || !ID_RE.test(tp.id)) fail(`timepoint id ${JSON.stringify(tp.id)} is invalid`);
    if (tp.scanDate !== null && !DATE_RE.test(String(tp.scanDate))) fail(`timepoint ${tp.id}: scanDate must be YYYY-MM-DD or null`);
    if (tp.series !== null && (typeof tp.series?.seriesInstanceUid !== 'string' || typeof tp.series?.studyInstanceUid !== 'string')) fail(`timepoint ${tp.id}: series binding lacks UIDs`);
  }
  return c;
}

/** Anthropometrics from a DICOM index patient summary (PatientSize in m, PatientWeight in kg, PatientSex). */
export function anthropometricsFromDicom(dicom: Anthropometrics): Partial<Pick<CaseAnthropometrics, 'heightM' | 'weightKg' | 'sex'>> {
  const out: Partial<Pick<CaseAnthropometrics, 'heightM' | 'weightKg' | 'sex'>> = {};
  if (typeof dicom.patientSizeM === 'number' && dicom.patientSizeM > 0.3 && dicom.patientSizeM < 2.8) out.heightM = dicom.patientSizeM;
  if (typeof dicom.patientWeightKg === 'number' && dicom.patientWeightKg > 1 && dicom.patientWeightKg < 500) out.weightKg = dicom.patientWeightKg;
  const sex = dicom.patientSex?.trim().toUpperCase();
  if (sex === 'F' || sex === 'M' || sex === 'O') out.sex = sex;
  return out;
}

const KIND_LABEL: Record<Exclude<TimepointKind, 'custom'>, string> = { baseline: 'Baseline', 'week-1': 'Week 1', 'week-3': 'Week 3' };

export class WorkspaceService {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens a workspace folder, creating workspace.json when the folder is new or empty. */
  static open(root: string): WorkspaceService {
    const file = path.join(root, 'workspace.json');
    if (!fs.existsSync(file)) {
      if (fs.existsSync(root) && fs.readdirSync(root).length > 0) throw new Error(`${root}: folder is not empty and has no workspace.json; choose an empty folder or an existing workspace`);
      writeFileAtomic(file, `${JSON.stringify({ schemaVersion: WORKSPACE_SCHEMA_VERSION, kind: 'remnant-workspace', createdAt: new Date().toISOString() }, null, 2)}\n`);
    } else {
      const ws = readJson(file) as { schemaVersion?: unknown; kind?: unknown };
      if (ws?.kind !== 'remnant-workspace') throw new Error(`${file}: not a Remnant workspace file (kind ${JSON.stringify(ws?.kind)})`);
      if (ws.schemaVersion !== WORKSPACE_SCHEMA_VERSION) throw new Error(`${file}: schemaVersion ${String(ws.schemaVersion)} is not supported (expected ${WORKSPACE_SCHEMA_VERSION})`);
    }
    return new WorkspaceService(root);
  }

  private caseFile(caseId: string): string {
    checkId('case id', caseId);
    return path.join(this.root, 'cases', caseId, 'case.json');
  }

  /** All cases; a damaged case.json is reported in `problems` and skipped, never silently. */
  listCases(): { cases: CaseRecord[]; problems: string[] } {
    const dir = path.join(this.root, 'cases');
    const cases: CaseRecord[] = [];
    const problems: string[] = [];
    if (!fs.existsSync(dir)) return { cases, problems };
    for (const id of fs.readdirSync(dir).sort()) {
      try {
        cases.push(this.getCase(id));
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { cases, problems };
  }

  getCase(caseId: string): CaseRecord {
    const file = this.caseFile(caseId);
    return validateCase(readJson(file), file);
  }

  private save(record: CaseRecord): CaseRecord {
    record.updatedAt = new Date().toISOString();
    const file = this.caseFile(record.caseId);
    validateCase(record, file);
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  /** New case; the case id is the subject id (which must therefore be a safe file name). */
  createCase(subjectId: string, dicom?: Anthropometrics): CaseRecord {
    checkId('subject id', subjectId);
    if (fs.existsSync(this.caseFile(subjectId))) throw new Error(`case "${subjectId}" already exists in ${this.root}`);
    const fromDicom = dicom ? anthropometricsFromDicom(dicom) : {};
    const sources: CaseAnthropometrics['sources'] = {};
    for (const k of Object.keys(fromDicom) as Array<keyof typeof fromDicom>) sources[k] = 'dicom';
    const now = new Date().toISOString();
    return this.save({
      schemaVersion: CASE_SCHEMA_VERSION,
      caseId: subjectId,
      subjectId,
      anthropometrics: { heightM: fromDicom.heightM ?? null, weightKg: fromDicom.weightKg ?? null, sex: fromDicom.sex ?? null, chemotherapy: null, sources },
      timepoints: [],
      createdAt: now,
      updatedAt: now,
    });
  }

  /** User edits of anthropometrics (marked as user-sourced). */
  updateAnthropometrics(caseId: string, patch: Partial<Pick<CaseAnthropometrics, 'heightM' | 'weightKg' | 'sex' | 'chemotherapy'>>): CaseRecord {
    const c = this.getCase(caseId);
    if (patch.heightM !== undefined && patch.heightM !== null && !(patch.heightM > 0.3 && patch.heightM < 2.8)) throw new Error(`height ${patch.heightM} m is implausible (expected metres, 0.3-2.8)`);
    if (patch.weightKg !== undefined && patch.weightKg !== null && !(patch.weightKg > 1 && patch.weightKg < 500)) throw new Error(`weight ${patch.weightKg} kg is implausible`);
    for (const k of Object.keys(patch) as Array<keyof typeof patch>) {
      (c.anthropometrics as unknown as Record<string, unknown>)[k] = patch[k] ?? null;
      c.anthropometrics.sources[k] = 'user';
    }
    return this.save(c);
  }

  addTimepoint(caseId: string, tp: { kind: TimepointKind; label?: string; scanDate?: string | null; id?: string }): Timepoint {
    const c = this.getCase(caseId);
    const id = tp.id ?? (tp.kind === 'custom' ? (tp.label ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') : tp.kind);
    checkId('timepoint id', id);
    if (c.timepoints.some((t) => t.id === id)) throw new Error(`case "${caseId}" already has a timepoint "${id}"`);
    if (tp.kind === 'custom' && !tp.label) throw new Error('a custom timepoint needs a label');
    if (tp.scanDate && !DATE_RE.test(tp.scanDate)) throw new Error(`scan date "${tp.scanDate}" must be YYYY-MM-DD`);
    const timepoint: Timepoint = { id, kind: tp.kind, label: tp.kind === 'custom' ? (tp.label as string) : KIND_LABEL[tp.kind], scanDate: tp.scanDate ?? null, series: null };
    c.timepoints.push(timepoint);
    this.save(c);
    return timepoint;
  }

  /** Binds a timepoint to a series; anthropometrics still empty are filled from that series' DICOM values. */
  bindSeries(caseId: string, timepointId: string, binding: SeriesBinding, dicom?: Anthropometrics): CaseRecord {
    const c = this.getCase(caseId);
    const tp = c.timepoints.find((t) => t.id === timepointId);
    if (!tp) throw new Error(`case "${caseId}" has no timepoint "${timepointId}"`);
    for (const k of ['studyInstanceUid', 'seriesInstanceUid', 'frameOfReferenceUid'] as const) {
      if (!/^[0-9.]{1,64}$/.test(binding[k])) throw new Error(`${k} "${binding[k]}" is not a DICOM UID`);
    }
    if (tp.series && tp.series.seriesInstanceUid !== binding.seriesInstanceUid && fs.existsSync(this.segmentationDir(caseId, timepointId))) {
      throw new Error(`timepoint "${timepointId}" already has a segmentation on series ${tp.series.seriesInstanceUid}; it cannot be rebound to another series`);
    }
    tp.series = { ...binding };
    if (dicom) {
      const fromDicom = anthropometricsFromDicom(dicom);
      for (const k of Object.keys(fromDicom) as Array<keyof typeof fromDicom>) {
        if (c.anthropometrics[k] === null) {
          (c.anthropometrics as unknown as Record<string, unknown>)[k] = fromDicom[k];
          c.anthropometrics.sources[k] = 'dicom';
        }
      }
    }
    return this.save(c);
  }

  segmentationDir(caseId: string, timepointId: string): string {
    checkId('case id', caseId);
    checkId('timepoint id', timepointId);
    return path.join(this.root, 'cases', caseId, 'timepoints', timepointId, 'segmentation');
  }

  /** segments.json of a timepoint: names, colours, visibility and locks of its segments (beside segmentation/). */
  segmentStylesFile(caseId: string, timepointId: string): string {
    return path.join(path.dirname(this.segmentationDir(caseId, timepointId)), 'segments.json');
  }

  private requireTimepoint(caseId: string, timepointId: string): Timepoint {
    const tp = this.getCase(caseId).timepoints.find((t) => t.id === timepointId);
    if (!tp) throw new Error(`case "${caseId}" has no timepoint "${timepointId}"`);
    return tp;
  }

  /** Stores the segment list of a timepoint (atomic replace: the old or the new list, never a mix). */
  saveSegmentStyles(caseId: string, timepointId: string, segments: SegmentStyle[]): SegmentStyle[] {
    this.requireTimepoint(caseId, timepointId);
    const problem = segmentStylesProblem(segments);
    if (problem) throw new Error(`segment list of ${caseId}/${timepointId}: ${problem}`);
    const stored = segments.map((s) => ({ key: s.key, name: s.name.trim(), color: [s.color[0], s.color[1], s.color[2]] as SegmentStyle['color'], visible: s.visible, locked: s.locked }));
    writeFileAtomic(this.segmentStylesFile(caseId, timepointId), `${JSON.stringify({ schemaVersion: SEGMENT_STYLES_SCHEMA_VERSION, kind: 'remnant-segment-styles', updatedAt: new Date().toISOString(), segments: stored }, null, 2)}\n`);
    return stored;
  }

  /** The stored segment list, or null when none was stored yet; a damaged file throws an error naming it. */
  readSegmentStyles(caseId: string, timepointId: string): SegmentStyle[] | null {
    this.requireTimepoint(caseId, timepointId);
    const file = this.segmentStylesFile(caseId, timepointId);
    if (!fs.existsSync(file)) return null;
    const doc = readJson(file) as { schemaVersion?: unknown; kind?: unknown; segments?: unknown } | null;
    if (typeof doc !== 'object' || doc === null || doc.kind !== 'remnant-segment-styles') throw new Error(`${file}: not a Remnant segment list`);
    if (doc.schemaVersion !== SEGMENT_STYLES_SCHEMA_VERSION) throw new Error(`${file}: schemaVersion ${String(doc.schemaVersion)} is not supported (expected ${SEGMENT_STYLES_SCHEMA_VERSION})`);
    const problem = segmentStylesProblem(doc.segments);
    if (problem) throw new Error(`${file}: ${problem}`);
    return doc.segments as SegmentStyle[];
  }

  /**
   * Opens the timepoint's segmentation (recovering it if needed; see store.recovery), or creates it from `initial`
   * (default: empty) on the bound series' grid.
   */
  openSegmentation(caseId: string, timepointId: string, grid: Omit<SegmentationIdentity, 'seriesInstanceUid' | 'frameOfReferenceUid'>, options: StoreOptions & { initial?: Uint8Array } = {}): SegmentationStore {
    const c = this.getCase(caseId);
    const tp = c.timepoints.find((t) => t.id === timepointId);
    if (!tp) throw new Error(`case "${caseId}" has no timepoint "${timepointId}"`);
    if (!tp.series) throw new Error(`timepoint "${timepointId}" of case "${caseId}" is not bound to a series yet`);
    const dir = this.segmentationDir(caseId, timepointId);
    if (SegmentationStore.exists(dir)) {
      const store = SegmentationStore.open(dir, options);
      if (store.identity.seriesInstanceUid !== tp.series.seriesInstanceUid) {
        store.close();
        throw new Error(`${dir}: the segmentation belongs to series ${store.identity.seriesInstanceUid}, the timepoint is bound to ${tp.series.seriesInstanceUid}`);
      }
      const a = store.identity.geometry.sizeIJK;
      const b = grid.geometry.sizeIJK;
      if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) {
        store.close();
        throw new Error(`${dir}: the segmentation grid ${a.join('x')} differs from the series grid ${b.join('x')}`);
      }
      return store;
    }
    const [nx, ny, nz] = grid.geometry.sizeIJK;
    const initial = options.initial ?? new Uint8Array(nx * ny * nz);
    return SegmentationStore.create(dir, { seriesInstanceUid: tp.series.seriesInstanceUid, frameOfReferenceUid: tp.series.frameOfReferenceUid, geometry: grid.geometry }, initial, options);
  }
}
