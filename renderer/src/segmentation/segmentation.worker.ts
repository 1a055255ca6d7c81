/**
 * The segmentation worker: owns the engine session (one role labelmap + image + history) so that every tool, including
 * grow-from-seeds and fill between slices (itk-wasm contour interpolation, local assets), runs off the UI thread and
 * through the ONE constraint rule. Answers carry the voxels changed, the autosave operations and the panel statistics.
 */
/// <reference lib="webworker" />
import { configureItkWasmAssets } from '../../../wasm/src/pipelines/configure.ts';
import { SegmentationSession } from '../../../wasm/src/segmentation/session.ts';
import type { CommitEvent } from '../../../wasm/src/segmentation/session.ts';
import { seedsFromStrokes } from '../../../wasm/src/segmentation/grow.ts';
import { EditHistory, encodeHistoryEntry } from '../../../wasm/src/segmentation/history.ts';
import { applyDiffToLabelmap } from '../../../wasm/src/segmentation/diff.ts';
import type { EditDiff } from '../../../wasm/src/segmentation/diff.ts';
import { emptyReport } from '../../../wasm/src/segmentation/constraints.ts';
import { importLabelFile } from '../../../wasm/src/labels/import-label-file.ts';
import type { ImportedSegmentation } from '../../../wasm/src/labels/types.ts';
import { composeRoleLabelmap } from '../../../wasm/src/segments/compose.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { ScalarVolume } from '../../../wasm/src/image/types.ts';
import type { EditRequest, EditResult, FromWorker, ImportedSegmentInfo, PersistOp, ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let session: SegmentationSession | null = null;
let geometry: ImageGeometry | null = null;
let image: ScalarVolume | null = null;
let identity: { seriesInstanceUid: string; frameOfReferenceUid: string; sliceKeys: string[] } = { seriesInstanceUid: '', frameOfReferenceUid: '', sliceKeys: [] };
let imported: ImportedSegmentation | null = null;
let pending: CommitEvent[] = [];

const onCommit = (event: CommitEvent): void => {
  pending.push(event);
};

function requireSession(): SegmentationSession {
  if (!session) throw new Error('no segmentation is open');
  return session;
}

function persistOps(events: CommitEvent[]): PersistOp[] {
  return events.map((e) => (e.kind === 'edit' ? { op: 'edit', entryId: e.entry.id, entryBytes: encodeHistoryEntry(e.entry) } : { op: e.kind, entryId: e.entry.id }));
}

function slicesOf(indices: Uint32Array, g: ImageGeometry): number[] {
  const per = g.sizeIJK[0] * g.sizeIJK[1];
  const out: number[] = [];
  let last = -1;
  for (let c = 0; c < indices.length; c++) {
    const k = Math.floor((indices[c] as number) / per);
    if (k !== last) {
      out.push(k);
      last = k;
    }
  }
  return out;
}

function result(diff: EditDiff | null, t0: number, extra: EditResult['extra'] = {}): EditResult {
  const s = requireSession();
  const events = pending;
  pending = [];
  const engineMs = performance.now() - t0;
  const empty = { indices: new Uint32Array(0), newLabels: new Uint8Array(0) };
  const d = diff ?? { ...empty, tool: 'none', segment: 'none', voxelsChanged: 0, report: null };
  return {
    tool: d.tool,
    segment: d.segment,
    voxelsChanged: d.voxelsChanged,
    indices: d.indices,
    newLabels: d.newLabels,
    slicesK: slicesOf(d.indices, s.geometry),
    report: d.report ?? null,
    persist: persistOps(events),
    panel: s.panel(),
    history: s.history.describe(),
    engineMs,
    extra,
  };
}

async function edit(request: EditRequest): Promise<EditResult> {
  const s = requireSession();
  const t0 = performance.now();
  pending = [];
  switch (request.kind) {
    case 'brush':
      return result(s.brush(request.options), t0);
    case 'scissors':
      return result(s.scissors(request.options), t0);
    case 'grow': {
      const r = request.request;
      const seeds = (inside: boolean): Uint32Array => {
        const all = new Set<number>();
        for (const st of r.strokes) if (st.inside === inside) for (const v of seedsFromStrokes(s, st.pointsLPS, r.radiusMm, st.viewNormalLPS)) all.add(v);
        return Uint32Array.from(all).sort();
      };
      const fg = seeds(true);
      const bg = seeds(false);
      const out = s.growFromSeeds({ segment: r.segment, foregroundSeeds: fg, backgroundSeeds: bg, ...(r.roiMarginMm !== undefined && { roiMarginMm: r.roiMarginMm }) });
      return result(out.diff, t0, { grownVoxels: out.grownVoxels, holeVoxelsFilled: out.holeVoxelsFilled, foregroundSeeds: fg.length, backgroundSeeds: bg.length });
    }
    case 'fill-between': {
      const out = await s.fillBetweenSlices(request.options);
      return result(out.diff, t0, { slicesFilled: out.slicesFilled, paintedSlices: out.paintedSlices });
    }
    case 'remove-islands':
      return result(s.removeIslands(request.options), t0);
    case 'fill-holes':
      return result(s.fillHoles(request.options), t0);
    case 'smooth':
      return result(s.smooth(request.options), t0);
    case 'cut-flr':
      return result(s.cutFlr(request.options), t0);
    case 'undo':
      return result(s.undo(), t0);
    case 'redo':
      return result(s.redo(), t0);
  }
}

/** Imported labels (composed into roles) become ONE undoable 'import' edit, journalled like any other. */
function applyImport(mapping: Parameters<typeof composeRoleLabelmap>[1]): EditResult {
  const s = requireSession();
  if (!imported) throw new Error('no imported label file to apply');
  const t0 = performance.now();
  const composed = composeRoleLabelmap(imported, mapping);
  const lab = s.labelmap;
  const target = composed.labelmap;
  let n = 0;
  for (let v = 0; v < lab.length; v++) if (lab[v] !== target[v]) n++;
  const indices = new Uint32Array(n);
  const oldLabels = new Uint8Array(n);
  const newLabels = new Uint8Array(n);
  let c = 0;
  for (let v = 0; v < lab.length; v++) {
    if (lab[v] !== target[v]) {
      indices[c] = v;
      oldLabels[c] = lab[v] as number;
      newLabels[c] = target[v] as number;
      c++;
    }
  }
  const diff: EditDiff = { tool: 'import', segment: imported.source.fileName.replace(/[^\x20-\x7e]/g, '?'), op: 'mixed', voxelsChanged: n, indices, oldLabels, newLabels, report: emptyReport() };
  pending = [];
  if (n > 0) {
    const history = EditHistory.fromState(s.history.state(), s.history.maxBytes);
    const entry = history.push(diff, Date.now());
    applyDiffToLabelmap(lab, diff, 'forward');
    session = new SegmentationSession({ labelmap: lab, geometry: s.geometry, image: s.image, locked: s.lockedSegments(), history: history.state(), historyMaxBytes: s.history.maxBytes, onCommit });
    pending.push({ kind: 'edit', entry, diff });
  }
  imported = null;
  const out = result(n > 0 ? diff : null, t0);
  out.extra = { qcFlags: composed.qc.flags.length };
  return out;
}

async function handle(message: ToWorker): Promise<{ value: unknown; transfer: Transferable[] }> {
  switch (message.type) {
    case 'init': {
      configureItkWasmAssets({ baseUrl: message.itkBaseUrl });
      geometry = message.geometry;
      image = { geometry, pixels: message.pixels, rescaleSlope: 1, rescaleIntercept: 0, rescaleUnits: 'HU' };
      identity = { seriesInstanceUid: message.seriesInstanceUid, frameOfReferenceUid: message.frameOfReferenceUid, sliceKeys: message.sliceKeys };
      session = new SegmentationSession({ labelmap: message.labelmap, geometry, image, locked: message.locked, ...(message.history && { history: message.history }), onCommit });
      pending = [];
      const r = result(null, performance.now());
      return { value: r, transfer: [] };
    }
    case 'edit': {
      const r = await edit(message.request);
      return { value: r, transfer: [r.indices.buffer, r.newLabels.buffer] };
    }
    case 'set-locked':
      requireSession().setLocked(message.key, message.locked);
      return { value: requireSession().lockedSegments(), transfer: [] };
    case 'import-inspect': {
      const s = requireSession();
      imported = await importLabelFile(message.bytes, message.fileName, { geometry: s.geometry, sopInstanceUidsByK: identity.sliceKeys, seriesInstanceUid: identity.seriesInstanceUid, ...(identity.frameOfReferenceUid && { frameOfReferenceUid: identity.frameOfReferenceUid }) });
      const segments: ImportedSegmentInfo[] = imported.segments.map((seg) => ({ segmentNumber: seg.segmentNumber, label: seg.label, voxelCount: seg.voxelCount }));
      return { value: { format: imported.source.format, segments }, transfer: [] };
    }
    case 'import-apply': {
      const r = applyImport(message.mapping);
      return { value: r, transfer: [r.indices.buffer, r.newLabels.buffer] };
    }
    case 'labelmap': {
      const copy = requireSession().labelmap.slice();
      return { value: copy, transfer: [copy.buffer] };
    }
  }
}

// One message at a time: edits are serialized in arrival order.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  queue = queue.then(async () => {
    try {
      const { value, transfer } = await handle(message);
      self.postMessage({ id: message.id, ok: true, value } satisfies FromWorker, transfer);
    } catch (error) {
      pending = [];
      self.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
    }
  });
};
