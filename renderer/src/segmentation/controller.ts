/**
 * Segmentation workflow orchestration: case workspace calls (main process, typed channels), the engine worker (every
 * voxel write), Cornerstone's labelmap (shared array, marked modified after each edit), autosave (every committed
 * operation sent to the workspace service, in order), and the store (numbers only: volumetry, history, status).
 */
import type { Vec3 } from '../../../wasm/src/geometry/types.ts';
import { huPreset } from '../../../wasm/src/segmentation/presets.ts';
import type { RoleMapping } from '../../../wasm/src/segments/compose.ts';
import { bytesToBase64, decodeSegmentationWire } from '../../../wasm/src/transfer/segmentation-transfer.ts';
import type { SeriesSummary } from '../api/types.ts';
import { currentHost, currentViewer } from '../app/controller.ts';
import { appStore } from '../store/store.ts';
import type { AppState, } from '../store/store.ts';
import type { EditToolHandler, ToolGesture } from '../viewer/cornerstone/edit-tool.ts';
import type { SegmentationLayer } from '../viewer/cornerstone/segmentation-layer.ts';
import { createEngineClient } from './engine-client.ts';
import type { EngineClient } from './engine-client.ts';
import { liveVolumetry } from './live-volumetry.ts';
import type { EditRequest, EditResult, PersistOp } from './protocol.ts';
import { addTumour, ensureTumours, labelsOf, removeSegment, restoreSegments, segmentRefOf, updateSegment } from './segments.ts';
import type { SegmentItem } from './segments.ts';
import { constraintNotice, densifyStroke } from './tools-model.ts';

interface OpenSegmentation {
  caseId: string;
  timepointId: string;
  client: EngineClient;
  layer: SegmentationLayer;
  geometry: { sizeIJK: Vec3; spacingMm: Vec3; originLPS: Vec3; directionLPS: number[] };
}

let open: OpenSegmentation | null = null;
let saveChain: Promise<void> = Promise.resolve();
let growStrokes: Array<{ pointsLPS: Vec3[]; viewNormalLPS: Vec3; inside: boolean }> = [];
let cutPoints: Vec3[] = [];
let cutLine: { aLPS: Vec3; bLPS: Vec3; viewNormalLPS: Vec3 } | null = null;
let editChain: Promise<unknown> = Promise.resolve();
let styleChain: Promise<void> = Promise.resolve();
let styleQueued = false;

const st = (): AppState => appStore.getState();

function api() {
  const host = currentHost();
  if (!host) throw new Error('no API');
  return host.api;
}

function itkBaseUrl(): string {
  return new URL('itk', document.baseURI).href.replace(/\/$/, '');
}

/** The series shown in the viewer (from the index), if any. */
export function activeSeries(): SeriesSummary | undefined {
  const s = st();
  if (!s.activeSeriesId || !s.folderIndex) return undefined;
  for (const study of s.folderIndex.studies) for (const series of study.series) if (series.id === s.activeSeriesId) return series;
  return undefined;
}

async function report<T>(body: () => Promise<T>): Promise<T | undefined> {
  try {
    st().setSeg({ editError: undefined });
    return await body();
  } catch (error) {
    st().setSeg({ editError: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

// ---- Workspace ----

export function openWorkspace(rootPath: string): Promise<void | undefined> {
  return report(async () => {
    const info = await api().openWorkspace({ rootPath });
    await closeSegmentation();
    st().setSeg({ workspaceRoot: info.root, cases: info.cases, workspaceProblems: info.problems, currentCase: null, timepointId: null });
  });
}

function dicomOf(series: SeriesSummary | undefined): { patientSizeM?: number; patientWeightKg?: number; patientSex?: string } | undefined {
  return series?.anthropometrics;
}

export function createCase(subjectId: string): Promise<void | undefined> {
  return report(async () => {
    const dicom = dicomOf(activeSeries());
    const record = await api().createCase({ subjectId, ...(dicom && { dicom }) });
    const info = await api().getWorkspace();
    st().setSeg({ cases: info.cases, workspaceProblems: info.problems, currentCase: record, timepointId: null });
  });
}

export function selectCase(caseId: string): Promise<void | undefined> {
  return report(async () => {
    await closeSegmentation();
    st().setSeg({ currentCase: await api().getCase({ caseId }), timepointId: null });
  });
}

export function addTimepoint(kind: 'baseline' | 'week-1' | 'week-3' | 'custom', label: string, scanDate: string): Promise<void | undefined> {
  return report(async () => {
    const c = st().currentCase;
    if (!c) throw new Error('open or create a case first');
    const record = await api().addTimepoint({ caseId: c.caseId, kind, ...(kind === 'custom' && { label }), scanDate: scanDate || null });
    st().setSeg({ currentCase: record, timepointId: record.timepoints.at(-1)?.id ?? null });
  });
}

export function selectTimepoint(timepointId: string): Promise<void | undefined> {
  return report(async () => {
    await closeSegmentation();
    st().setSeg({ timepointId });
  });
}

/** Binds the selected timepoint to the series in the viewer (UIDs), prefilling empty anthropometrics from DICOM. */
export function bindActiveSeries(): Promise<void | undefined> {
  return report(async () => {
    const { currentCase: c, timepointId, folderIndex } = st();
    const series = activeSeries();
    if (!c || !timepointId) throw new Error('choose a case and a timepoint first');
    if (!series) throw new Error('load a series first');
    if (!series.frameOfReferenceUid) throw new Error('the series has no FrameOfReferenceUID: it cannot be bound');
    const dicom = dicomOf(series);
    const record = await api().bindSeries({
      caseId: c.caseId,
      timepointId,
      studyInstanceUid: series.studyInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      frameOfReferenceUid: series.frameOfReferenceUid,
      sourceFolder: folderIndex?.root ?? '/',
      ...(dicom && { dicom }),
    });
    st().setSeg({ currentCase: record });
  });
}

export function updateAnthropometrics(patch: { heightM?: number | null; weightKg?: number | null; sex?: 'F' | 'M' | 'O' | null; chemotherapy?: boolean | null }): Promise<void | undefined> {
  return report(async () => {
    const c = st().currentCase;
    if (!c) throw new Error('open or create a case first');
    const record = await api().updateAnthropometrics({ caseId: c.caseId, ...patch });
    st().setSeg({ currentCase: record });
    refreshVolumetry();
  });
}

// ---- Segmentation session ----

function anthro() {
  const a = st().currentCase?.anthropometrics;
  return { heightM: a?.heightM ?? null, weightKg: a?.weightKg ?? null, chemotherapy: a?.chemotherapy ?? null };
}

let lastPanel: EditResult['panel'] | null = null;

function refreshVolumetry(): void {
  if (!lastPanel) return;
  st().setSeg({ volumetry: liveVolumetry(lastPanel, anthro()) });
}

function applyColors(segments: SegmentItem[]): void {
  if (!open) return;
  for (const s of segments) for (const label of labelsOf(s.key)) open.layer.setLabelColor(label, s.color, s.visible);
}

/** Opens (or creates) the selected timepoint's segmentation on the loaded series; restores labelmap and undo history. */
export function openSegmentation(): Promise<void | undefined> {
  return report(async () => {
    const { currentCase: c, timepointId } = st();
    if (!c || !timepointId) throw new Error('choose a case and a timepoint first');
    const tp = c.timepoints.find((t) => t.id === timepointId);
    const series = activeSeries();
    if (!tp?.series) throw new Error(`timepoint "${timepointId}" is not bound to a series: bind it to the loaded series first`);
    if (!series || series.seriesInstanceUid !== tp.series.seriesInstanceUid) throw new Error(`load series ${tp.series.seriesInstanceUid} (bound to this timepoint) first`);
    if (st().loadStatus !== 'ready') throw new Error('wait until the series has finished loading');
    const viewer = currentViewer();
    const data = viewer?.volumeData();
    if (!viewer || !data) throw new Error('no volume is shown');
    await closeSegmentation();
    st().setSeg({ segStatus: 'opening', segError: undefined, recoveryNotice: undefined });
    try {
      const g = data.geometry;
      const geometry = { sizeIJK: [...g.sizeIJK] as Vec3, spacingMm: [...g.spacingMm] as Vec3, originLPS: [...g.originLPS] as Vec3, directionLPS: [...g.directionLPS] };
      const wire = decodeSegmentationWire(await api().openSegmentation({ caseId: c.caseId, timepointId, geometry }), `segmentation of ${c.caseId}/${timepointId}`);
      const rec = wire.header.recovery;
      const recoveryNotice = rec.problems.length > 0 ? `Recovered with problems: ${rec.problems.join('; ')}${rec.lost ? `. Lost: ${rec.lost}` : ''}${rec.quarantined.length ? `. Damaged files moved to ${rec.quarantined.join(', ')}` : ''}` : undefined;
      // Names, colours, visibility and locks stored with the timepoint (segments.json); a damaged file is reported.
      const styles = await api().getSegmentStyles({ caseId: c.caseId, timepointId });
      const notices = [recoveryNotice, styles.problem ? `Segment names and colours not restored: ${styles.problem}` : undefined].filter((n): n is string => n !== undefined);
      const pixels = data.scalars instanceof Int16Array ? data.scalars.slice() : Int16Array.from(data.scalars, (v) => Math.max(-32768, Math.min(32767, Math.round(v))));
      const client = createEngineClient();
      const labelmap = wire.labelmap;
      const layer = viewer.attachLabelmap(labelmap);
      // The worker gets its own copy: Cornerstone's array is updated from each edit's changed voxels.
      const first = await client.init({
        geometry: g,
        pixels,
        labelmap: labelmap.slice(),
        history: wire.history,
        locked: (styles.segments ?? []).filter((s) => s.locked).map((s) => s.key),
        itkBaseUrl: itkBaseUrl(),
        seriesInstanceUid: tp.series.seriesInstanceUid,
        frameOfReferenceUid: tp.series.frameOfReferenceUid,
        // The loaded volume's k order is the index's (the loader checks it), so the index's slice keys apply.
        sliceKeys: series.sliceKeys?.length === geometry.sizeIJK[2] ? series.sliceKeys : [],
      });
      open = { caseId: c.caseId, timepointId, client, layer, geometry };
      const tumours = first.panel.labels.filter((l) => l.label >= 10).map((l) => l.label - 10);
      const segments = restoreSegments(styles.segments, tumours);
      applyColors(segments);
      layer.modified();
      lastPanel = first.panel;
      growStrokes = [];
      cutPoints = [];
      cutLine = null;
      st().setSeg({ segStatus: 'ready', segments, activeSegment: 'liver', history: first.history, volumetry: liveVolumetry(first.panel, anthro()), recoveryNotice: notices.length > 0 ? notices.join('. ') : undefined, saveStatus: 'saved', growSeeds: { inside: 0, outside: 0 }, cutPoints: 0 });
      refreshHandler();
    } catch (error) {
      st().setSeg({ segStatus: 'failed', segError: error instanceof Error ? error.message : String(error) });
    }
  });
}

export async function closeSegmentation(): Promise<void> {
  if (!open) return;
  const o = open;
  open = null;
  await saveChain;
  await styleChain;
  currentViewer()?.setEditHandler(null);
  o.layer.destroy();
  o.client.terminate();
  await api().closeSegmentation({ caseId: o.caseId, timepointId: o.timepointId }).catch(() => undefined);
  st().setSeg({ segStatus: 'none', volumetry: null, history: { undo: [], redo: [] } });
}

function persist(ops: PersistOp[]): void {
  if (!open || ops.length === 0) return;
  const { caseId, timepointId } = open;
  st().setSeg({ saveStatus: 'saving', pendingSaves: st().pendingSaves + ops.length });
  for (const op of ops) {
    saveChain = saveChain.then(async () => {
      if (st().saveStatus === 'error') return; // never journal past a failed operation: the store would refuse it
      try {
        await api().recordSegmentationOp(op.op === 'edit' ? { caseId, timepointId, op: 'edit', entryId: op.entryId, entry: bytesToBase64(op.entryBytes) } : { caseId, timepointId, op: op.op, entryId: op.entryId });
        const pending = st().pendingSaves - 1;
        st().setSeg({ pendingSaves: pending, ...(pending === 0 && { saveStatus: 'saved' }) });
      } catch (error) {
        st().setSeg({ saveStatus: 'error', saveError: `autosave failed: ${error instanceof Error ? error.message : String(error)} — further edits are not saved; reopen the case`, pendingSaves: 0 });
      }
    });
  }
}

/** Resolves when every queued autosave has been answered. */
export function saved(): Promise<void> {
  return saveChain;
}

/** Stores the segment list (names, colours, visibility, locks) with the timepoint; saves are serialized and coalesced. */
function persistSegments(): void {
  if (!open || styleQueued) return;
  const { caseId, timepointId } = open;
  styleQueued = true;
  styleChain = styleChain.then(async () => {
    styleQueued = false;
    const segments = st().segments.map((s) => ({ key: s.key, name: s.name, color: s.color, visible: s.visible, locked: s.locked }));
    try {
      await api().saveSegmentStyles({ caseId, timepointId, segments });
    } catch (error) {
      st().setSeg({ editError: `segment names and colours not saved: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

/** Resolves when the segment list has been stored. */
export function segmentsSaved(): Promise<void> {
  return styleChain;
}

function applyResult(result: EditResult, t0: number): void {
  if (!open) return;
  open.layer.apply(result.indices, result.newLabels, result.slicesK);
  lastPanel = result.panel;
  const tumours = result.panel.labels.filter((l) => l.label >= 10).map((l) => l.label - 10);
  const segments = ensureTumours(st().segments, tumours);
  const added = segments !== st().segments;
  if (added) applyColors(segments);
  st().setSeg({
    segments,
    history: result.history,
    volumetry: liveVolumetry(result.panel, anthro()),
    lastEdit: { tool: result.tool, segment: result.segment, voxelsChanged: result.voxelsChanged, notice: constraintNotice(result.report), engineMs: result.engineMs, totalMs: performance.now() - t0 },
    editCount: st().editCount + 1,
  });
  persist(result.persist);
  if (added) persistSegments();
}

/** Runs one edit through the engine (serialized), then updates views, panel, history and autosave. */
export function runEdit(request: EditRequest): Promise<EditResult | undefined> {
  const next = editChain.then(() =>
    report(async () => {
      if (!open) throw new Error('open a segmentation first');
      const t0 = performance.now();
      st().setSeg({ busy: true });
      try {
        const result = await open.client.edit(request);
        applyResult(result, t0);
        return result;
      } finally {
        st().setSeg({ busy: false });
      }
    }),
  );
  editChain = next.catch(() => undefined);
  return next;
}

export const undo = (): Promise<EditResult | undefined> => runEdit({ kind: 'undo' });
export const redo = (): Promise<EditResult | undefined> => runEdit({ kind: 'redo' });

// ---- Segments ----

export function setActiveSegment(key: string): void {
  st().setSeg({ activeSegment: key });
  refreshHandler();
}

export function addTumourSegment(): void {
  const { segments, key } = addTumour(st().segments);
  st().setSeg({ segments, activeSegment: key });
  applyColors(segments);
  persistSegments();
  refreshHandler();
}

export function renameSegment(key: string, name: string): void {
  void report(async () => {
    st().setSeg({ segments: updateSegment(st().segments, key, { name }) });
    persistSegments();
  });
}

export function setSegmentColor(key: string, color: [number, number, number]): void {
  const segments = updateSegment(st().segments, key, { color });
  st().setSeg({ segments });
  applyColors(segments);
  persistSegments();
}

export function setSegmentVisible(key: string, visible: boolean): void {
  const segments = updateSegment(st().segments, key, { visible });
  st().setSeg({ segments });
  applyColors(segments);
  persistSegments();
}

export function setSegmentLocked(key: string, locked: boolean): Promise<void | undefined> {
  return report(async () => {
    if (open) await open.client.setLocked(key, locked);
    st().setSeg({ segments: updateSegment(st().segments, key, { locked }) });
    persistSegments();
  });
}

/** Removes a tumour: its voxels become liver parenchyma (one undoable edit), then the segment leaves the list. */
export function removeTumourSegment(key: string): Promise<void | undefined> {
  return report(async () => {
    const remaining = removeSegment(st().segments, key);
    if (open) {
      const g = open.geometry;
      const centre = g.originLPS;
      const radiusMm = 2 * Math.hypot(g.sizeIJK[0] * g.spacingMm[0], g.sizeIJK[1] * g.spacingMm[1], g.sizeIJK[2] * g.spacingMm[2]) + 1;
      await runEdit({ kind: 'scissors', options: { segment: segmentRefOf(key), mode: 'erase', shape: { kind: 'sphere', centreLPS: centre, radiusMm } } });
    }
    st().setSeg({ segments: remaining, activeSegment: st().activeSegment === key ? 'liver' : st().activeSegment });
    persistSegments();
    refreshHandler();
  });
}

// ---- Tools ----

function toolColor(): string {
  const seg = st().segments.find((s) => s.key === st().activeSegment);
  if (st().tool.kind === 'grow') return st().tool.growSeed === 'inside' ? 'rgb(80, 220, 80)' : 'rgb(240, 80, 80)';
  if (st().tool.kind === 'cut-plane') return 'rgb(80, 200, 255)';
  return seg ? `rgb(${seg.color.join(', ')})` : 'white';
}

/** Installs the Cornerstone edit tool for the current tool settings (or gives the mouse back to the viewer). */
export function refreshHandler(): void {
  const viewer = currentViewer();
  if (!viewer) return;
  const tool = st().tool;
  if (!open || tool.kind === 'none') {
    viewer.setEditHandler(null);
    return;
  }
  let handler: EditToolHandler;
  const base = { color: toolColor(), onGesture: (g: ToolGesture) => void onGesture(g) };
  switch (tool.kind) {
    case 'brush':
    case 'eraser':
    case 'threshold':
    case 'grow':
      handler = { ...base, mode: 'stroke', radiusMm: tool.radiusMm };
      break;
    case 'scissors':
      handler = { ...base, mode: tool.scissorsShape === 'rectangle' ? 'rectangle' : 'circle' };
      break;
    case 'cut-plane':
      handler = { ...base, mode: tool.cutMode === 'line' && !cutLine ? 'line' : 'point', markersLPS: [...cutPoints, ...(cutLine ? [cutLine.aLPS, cutLine.bLPS] : [])] };
      break;
    case 'keep-island':
      handler = { ...base, mode: 'point' };
      break;
  }
  viewer.setEditHandler(handler);
}

export function setTool(patch: Partial<AppState['tool']>): void {
  if (patch.presetId && patch.presetId !== st().tool.presetId) {
    const p = huPreset(patch.presetId);
    patch = { ...patch, huMin: p.huMin, huMax: p.huMax };
  }
  if (patch.kind !== undefined && patch.kind !== st().tool.kind) {
    cutPoints = [];
    cutLine = null;
    st().setSeg({ cutPoints: 0 });
  }
  st().setTool(patch);
  refreshHandler();
}

async function onGesture(g: ToolGesture): Promise<void> {
  const tool = st().tool;
  const segment = segmentRefOf(st().activeSegment);
  switch (tool.kind) {
    case 'brush':
    case 'eraser':
    case 'threshold': {
      if (g.kind !== 'stroke') return;
      const pointsLPS = densifyStroke(g.pointsLPS, Math.max(0.25, tool.radiusMm / 2));
      await runEdit({
        kind: 'brush',
        options: {
          segment,
          op: tool.kind === 'eraser' ? 'erase' : 'paint',
          shape: tool.brushShape,
          radiusMm: tool.radiusMm,
          pointsLPS,
          viewNormalLPS: g.normalLPS,
          ...(tool.kind === 'threshold' && { huRange: [tool.huMin, tool.huMax] as [number, number] }),
        },
      });
      return;
    }
    case 'scissors': {
      const view = { normalLPS: g.normalLPS, rightLPS: g.rightLPS };
      let shape;
      if (g.kind === 'rectangle') shape = { kind: 'rectangle' as const, cornerALPS: g.aLPS, cornerBLPS: g.bLPS, view };
      else if (g.kind === 'circle') {
        const radiusMm = Math.hypot(g.edgeLPS[0] - g.centreLPS[0], g.edgeLPS[1] - g.centreLPS[1], g.edgeLPS[2] - g.centreLPS[2]);
        shape = tool.scissorsShape === 'sphere' ? { kind: 'sphere' as const, centreLPS: g.centreLPS, radiusMm } : { kind: 'circle' as const, centreLPS: g.centreLPS, radiusMm, view };
      } else return;
      await runEdit({ kind: 'scissors', options: { segment, mode: tool.scissorsMode, shape } });
      return;
    }
    case 'grow': {
      if (g.kind !== 'stroke') return;
      growStrokes.push({ pointsLPS: densifyStroke(g.pointsLPS, Math.max(0.25, tool.radiusMm / 2)), viewNormalLPS: g.normalLPS, inside: tool.growSeed === 'inside' });
      st().setSeg({ growSeeds: { inside: growStrokes.filter((s) => s.inside).length, outside: growStrokes.filter((s) => !s.inside).length } });
      return;
    }
    case 'cut-plane': {
      if (g.kind === 'line') {
        cutLine = { aLPS: g.aLPS, bLPS: g.bLPS, viewNormalLPS: g.normalLPS };
        st().setSeg({ cutPoints: 2 });
        refreshHandler();
        return;
      }
      if (g.kind !== 'point') return;
      if (tool.cutMode === 'three-points' && cutPoints.length < 3) {
        cutPoints.push(g.pointLPS);
        st().setSeg({ cutPoints: cutPoints.length });
        refreshHandler();
        return;
      }
      const plane = tool.cutMode === 'line' && cutLine ? { kind: 'line-in-view' as const, ...cutLine } : { kind: 'three-points' as const, pointsLPS: [cutPoints[0], cutPoints[1], cutPoints[2]] as [Vec3, Vec3, Vec3] };
      cutPoints = [];
      cutLine = null;
      st().setSeg({ cutPoints: 0 });
      refreshHandler();
      await runEdit({ kind: 'cut-flr', options: { plane, flrSidePointLPS: g.pointLPS } });
      return;
    }
    case 'keep-island':
      if (g.kind !== 'point') return;
      await runEdit({ kind: 'remove-islands', options: { segment, keep: { kind: 'containing', pointLPS: g.pointLPS } } });
      return;
    default:
      return;
  }
}

export async function runGrow(): Promise<EditResult | undefined> {
  const strokes = growStrokes;
  const result = await runEdit({ kind: 'grow', request: { segment: segmentRefOf(st().activeSegment), strokes, radiusMm: st().tool.radiusMm } });
  if (result) {
    growStrokes = [];
    st().setSeg({ growSeeds: { inside: 0, outside: 0 } });
  }
  return result;
}

export function clearGrowSeeds(): void {
  growStrokes = [];
  st().setSeg({ growSeeds: { inside: 0, outside: 0 } });
}

export const fillBetweenSlices = (): Promise<EditResult | undefined> => runEdit({ kind: 'fill-between', options: { segment: segmentRefOf(st().activeSegment), axis: 2 } });
export const keepLargestIsland = (): Promise<EditResult | undefined> => runEdit({ kind: 'remove-islands', options: { segment: segmentRefOf(st().activeSegment), keep: { kind: 'largest' } } });
export const fillHoles = (): Promise<EditResult | undefined> => runEdit({ kind: 'fill-holes', options: { segment: segmentRefOf(st().activeSegment) } });
export const smooth = (): Promise<EditResult | undefined> => runEdit({ kind: 'smooth', options: { segment: segmentRefOf(st().activeSegment), radiusMm: st().tool.smoothRadiusMm } });

// ---- Import / export ----

export function inspectLabelFile(bytes: Uint8Array, fileName: string): Promise<void | undefined> {
  return report(async () => {
    if (!open) throw new Error('open a segmentation first');
    const r = await open.client.importInspect(bytes, fileName);
    st().setSeg({ importCandidate: { fileName, format: r.format, segments: r.segments } });
  });
}

export function applyImport(mapping: RoleMapping): Promise<void | undefined> {
  return report(async () => {
    if (!open) throw new Error('open a segmentation first');
    const t0 = performance.now();
    const result = await open.client.importApply(mapping);
    applyResult(result, t0);
    st().setSeg({ importCandidate: null });
  });
}

export function exportNifti(): Promise<void | undefined> {
  return report(async () => {
    if (!open) throw new Error('open a segmentation first');
    await saveChain;
    if (st().saveStatus === 'error') throw new Error('autosave failed: the stored segmentation is behind the screen; reopen the case before exporting');
    const r = await api().exportSegmentationNifti({ caseId: open.caseId, timepointId: open.timepointId });
    st().setSeg({ exportedPath: r.path });
  });
}
