/**
 * Series worker: decodes the files of one series with the core's fast reader (wasm/src/series/read-series.ts) as they
 * arrive (a batch answer of consecutive files at a time), converts the slices to display values (HU for CT,
 * display-slice.ts) and transfers each run of consecutive slices to the main thread in one message, which writes it
 * into the one preallocated Cornerstone volume. Nothing of the volume stays here (a batch's bytes are dropped once
 * decoded).
 *
 * JPEG-family transfer syntaxes have no native decoder in the core: the files are then collected and decoded at the
 * end by the itk-wasm reference reader (local assets, configureItkWasmAssets), and posted slice by slice.
 *
 * When every file has been handed over ('finish'), the decoded headers are planned together with the same rules as
 * readSeries (consistency, sorting along the normal, geometry) and compared with the index: the main thread only calls
 * the volume complete and exact when this check passes. Cancel = the main thread terminates this worker.
 */
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { DicomInstanceHeader } from '../../../wasm/src/dicom/header.ts';
import { alignGeometry } from '../../../wasm/src/series/compare.ts';
import { RLE_LOSSLESS, planSeries, readInstanceHeader, readSeries } from '../../../wasm/src/series/read-series.ts';
import type { SeriesReadResult } from '../../../wasm/src/series/read-series.ts';
import { bytesSource } from '../../../wasm/src/series/source.ts';
import { decodeFileBatch } from '../../../wasm/src/transfer/file-batch.ts';
import type { SeriesSource } from '../../../wasm/src/series/source.ts';
import { displayTypeFor, toDisplaySlice } from './display-slice.ts';
import type { DisplayScalarType } from './display-slice.ts';
import type { FromWorker, ToWorker } from './worker-protocol.ts';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

interface LoadState {
  files: string[];
  geometry: ImageGeometry;
  itkBaseUrl: string;
  type?: DisplayScalarType;
  modality: string;
  headers: Map<number, DicomInstanceHeader>;
  failed: Set<number>;
  /** Set once a JPEG-family file is seen: bytes kept for the itk-wasm fallback at the end. */
  collected: Map<number, Uint8Array> | null;
  pending: Set<Promise<void>>;
}

let state: LoadState | undefined;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function fileError(s: LoadState, index: number, error: unknown): void {
  s.failed.add(index);
  post({ type: 'file-error', fileIndex: index, error: { file: s.files[index] ?? `file ${index}`, message: message(error) } });
}

/** Display slices decoded from one file: `count` consecutive slices from k. */
interface Decoded {
  k: number;
  count: number;
  type: DisplayScalarType;
  values: Int16Array | Float32Array;
}

/** Convert decoded stored pixels to display values (k = first slice). */
function displaySlices(s: LoadState, result: SeriesReadResult, k: number): Decoded {
  const v = result.volume;
  s.type ??= displayTypeFor(v.rescaleSlope, v.rescaleIntercept);
  let values = toDisplaySlice(v.pixels, v.rescaleSlope, v.rescaleIntercept, s.type);
  if (!values) {
    // Integer rescale whose values leave int16: switch this load to float32 (the main thread re-types the volume).
    s.type = 'float32';
    values = toDisplaySlice(v.pixels, v.rescaleSlope, v.rescaleIntercept, 'float32') as Float32Array;
  }
  return { k, count: v.geometry.sizeIJK[2], type: s.type, values };
}

/**
 * Post consecutive decoded blocks as one message (one transfer, one write on the main thread); `files` of them count
 * as decoded. The values are transferred, so a view into a larger buffer (the batch) is copied out first.
 */
function postRun(run: Decoded[], files: number): void {
  const first = run[0];
  if (!first) return;
  const count = run.reduce((n, d) => n + d.count, 0);
  let values = first.values;
  if (run.length > 1) {
    const length = run.reduce((n, d) => n + d.values.length, 0);
    values = first.type === 'int16' ? new Int16Array(length) : new Float32Array(length);
    let offset = 0;
    for (const d of run) {
      values.set(d.values, offset);
      offset += d.values.length;
    }
  } else if (values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength) {
    values = values.slice();
  }
  post({ type: 'slices', k: first.k, count, scalarType: first.type, values, files }, [values.buffer as ArrayBuffer]);
}

function needsCodec(h: DicomInstanceHeader): boolean {
  return Boolean(h.pixelData?.encapsulated) && h.transferSyntaxUid !== RLE_LOSSLESS;
}

/** Decode one file; null when it failed (reported) or was set aside for the itk-wasm fallback. */
async function decodeFile(s: LoadState, index: number, bytes: Uint8Array): Promise<Decoded | null> {
  const name = s.files[index] ?? `file ${index}`;
  const source = bytesSource(name, bytes);
  let header: DicomInstanceHeader;
  try {
    header = readInstanceHeader(source).header;
  } catch (error) {
    fileError(s, index, error);
    return null;
  }
  if (s.collected || needsCodec(header)) {
    if (!s.collected) {
      s.collected = new Map();
      post({ type: 'collecting', transferSyntax: header.transferSyntaxName || header.transferSyntaxUid });
    }
    s.collected.set(index, bytes);
    s.headers.set(index, header);
    s.modality ||= header.modality;
    return null;
  }
  try {
    const result = await readSeries([source], { allowGaps: true });
    const [ni, nj, nk] = result.volume.geometry.sizeIJK;
    const [gi, gj, gk] = s.geometry.sizeIJK;
    if (ni !== gi || nj !== gj) throw new Error(`matrix ${ni}x${nj} differs from the series' ${gi}x${gj}`);
    const k = s.files.length === 1 ? 0 : index;
    if (k + nk > gk) throw new Error(`holds ${nk} slice(s) at k = ${k}, beyond the ${gk} slices of the series`);
    s.headers.set(index, header);
    s.modality ||= result.modality;
    return displaySlices(s, result, k);
  } catch (error) {
    fileError(s, index, error);
    return null;
  }
}

/** One dicom:readFiles answer: decode its files in order, post each run of consecutive slices as one message. */
async function onBatch(s: LoadState, indices: number[], buffer: ArrayBuffer): Promise<void> {
  const entries = decodeFileBatch(new Uint8Array(buffer));
  if (entries.length !== indices.length) throw new Error(`a batch of ${indices.length} files answered ${entries.length}`);
  let run: Decoded[] = [];
  const flush = (): void => {
    postRun(run, run.length);
    run = [];
  };
  for (const [i, entry] of entries.entries()) {
    if (!('bytes' in entry)) continue; // reported by the main thread
    const decoded = await decodeFile(s, indices[i] as number, entry.bytes);
    if (!decoded) continue;
    const last = run[run.length - 1];
    if (last && (last.k + last.count !== decoded.k || last.type !== decoded.type)) flush();
    run.push(decoded);
  }
  flush();
}

/** A stand-in source for planning: planSeries only needs names and headers, not the bytes (already released). */
function headerOnlySource(name: string): SeriesSource {
  return {
    name,
    sizeBytes: 0,
    read: () => {
      throw new Error(`${name}: bytes are no longer held`);
    },
  };
}

/** Plan the decoded headers like readSeries does and compare with the index: same order, same grid. */
function finalCheck(s: LoadState): { check: { ok: true } | { ok: false; message: string }; notes: string[] } {
  const indices = [...s.headers.keys()].sort((a, b) => a - b);
  if (indices.length === 0) return { check: { ok: false, message: 'no file of this series could be decoded' }, notes: [] };
  const instances = indices.map((i) => ({ source: headerOnlySource(s.files[i] ?? `file ${i}`), header: s.headers.get(i) as DicomInstanceHeader }));
  try {
    const plan = planSeries(instances, { allowGaps: true });
    const notes = plan.stackProblems.map((p) => `${p.code}: ${p.message}`);
    const planned: string[] = [];
    for (const frame of plan.sorted) if (planned[planned.length - 1] !== frame.instance.source.name) planned.push(frame.instance.source.name);
    const expected = indices.map((i) => s.files[i]);
    const reversed = [...planned].reverse();
    if (planned.join('\n') !== expected.join('\n') && !(s.files.length === 1)) {
      return { check: { ok: false, message: `the slice order from the headers differs from the index${reversed.join('\n') === expected.join('\n') ? ' (reversed)' : ''}` }, notes };
    }
    if (s.failed.size === 0) {
      const alignment = alignGeometry(s.geometry, plan.geometry, 1e-3);
      if (!alignment.ok) return { check: { ok: false, message: `the decoded geometry differs from the index: ${alignment.reason}` }, notes };
      if (alignment.kFlipped) return { check: { ok: false, message: 'the decoded geometry runs opposite to the index (k flipped)' }, notes };
    }
    return { check: { ok: true }, notes };
  } catch (error) {
    return { check: { ok: false, message: message(error) }, notes: [] };
  }
}

async function finishCollected(s: LoadState, collected: Map<number, Uint8Array>): Promise<void> {
  const [{ readSeriesFromBytes }, { configureItkWasmAssets }] = await Promise.all([
    import('../../../wasm/src/series/read-series-bytes.ts'),
    import('../../../wasm/src/pipelines/configure.ts'),
  ]);
  configureItkWasmAssets({ baseUrl: s.itkBaseUrl });
  const files = [...collected.entries()].sort((a, b) => a[0] - b[0]).map(([i, bytes]) => ({ name: s.files[i] ?? `file ${i}`, bytes }));
  collected.clear();
  const result = await readSeriesFromBytes(files, { allowGaps: true });
  const alignment = alignGeometry(s.geometry, result.volume.geometry, 1e-3);
  if (!alignment.ok || alignment.kFlipped) {
    throw new Error(`the itk-wasm reader's geometry differs from the index: ${alignment.ok ? 'k flipped' : alignment.reason}`);
  }
  // Post slice by slice so the main thread never receives (and the worker never copies) more than one slice at once.
  const [ni, nj, nk] = result.volume.geometry.sizeIJK;
  const sliceLength = ni * nj;
  for (let k = 0; k < nk; k++) {
    const pixels = result.volume.pixels.slice(k * sliceLength, (k + 1) * sliceLength);
    postRun([displaySlices(s, { ...result, volume: { ...result.volume, pixels, geometry: { ...result.volume.geometry, sizeIJK: [ni, nj, 1] } } }, k)], 0);
  }
}

async function onFinish(s: LoadState, failedReads: number[]): Promise<void> {
  for (const index of failedReads) s.failed.add(index);
  await Promise.all([...s.pending]);
  let decoder: 'native' | 'fallback' = 'native';
  if (s.collected) {
    decoder = 'fallback';
    try {
      await finishCollected(s, s.collected);
    } catch (error) {
      post({ type: 'failed', message: `itk-wasm fallback: ${message(error)}` });
      return;
    }
  }
  const { check, notes } = finalCheck(s);
  post({ type: 'done', check, decoder, modality: s.modality, notes });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const data = event.data;
  if (data.type === 'start') {
    state = {
      files: data.files,
      geometry: data.geometry,
      itkBaseUrl: data.itkBaseUrl,
      modality: '',
      headers: new Map(),
      failed: new Set(),
      collected: null,
      pending: new Set(),
    };
    return;
  }
  const s = state;
  if (!s) return;
  if (data.type === 'batch') {
    const task = onBatch(s, data.indices, data.bytes).catch((error: unknown) => {
      for (const index of data.indices) if (!s.headers.has(index) && !s.failed.has(index)) fileError(s, index, error);
    });
    s.pending.add(task);
    void task.finally(() => s.pending.delete(task));
  } else if (data.type === 'finish') {
    onFinish(s, data.failedReads).catch((error: unknown) => post({ type: 'failed', message: message(error) }));
  }
};
