/**
 * Main-thread side of one series load: reads the files through the host API (`readDicomFiles`, the same call over IPC
 * and HTTP) in batches of consecutive files, the middle slice(s) alone first, a few batches at a time; hands each
 * batch answer to the series worker (one transferred buffer, never copied here); passes
 * the decoded display slices on to the viewer as they come; reports progress (files read, decoded, failed, time left);
 * cancel stops reading and terminates the worker.
 */
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { DisplayScalarType } from './display-slice.ts';
import { decodeFileBatch } from '../../../wasm/src/transfer/file-batch.ts';
import { readBatches } from './progress.ts';
import type { LoadProgress } from './progress.ts';
import type { FileError, FromWorker, ToWorker } from './worker-protocol.ts';

export interface SeriesSlices {
  k: number;
  count: number;
  scalarType: DisplayScalarType;
  values: Int16Array | Float32Array;
}

export interface SeriesLoadCallbacks {
  onProgress?(progress: LoadProgress): void;
  onFileError?(error: FileError): void;
  onSlices(slices: SeriesSlices): void;
  /** JPEG-family series: slices arrive only at the end (itk-wasm), not progressively. */
  onCollecting?(transferSyntax: string): void;
}

export interface SeriesLoadOutcome {
  check: { ok: true } | { ok: false; message: string };
  decoder: 'native' | 'fallback';
  modality: string;
  notes: string[];
  errors: FileError[];
  /** Number of slices that arrived (k positions filled). */
  slicesFilled: number;
}

export interface SeriesLoadHandle {
  result: Promise<SeriesLoadOutcome>;
  cancel(): void;
}

export class LoadCancelledError extends Error {
  constructor() {
    super('load cancelled');
    this.name = 'LoadCancelledError';
  }
}

export interface SeriesLoadRequest {
  files: string[];
  geometry: ImageGeometry;
  /** Reads many files in one call (dicom:readFiles: wasm/src/transfer/file-batch.ts wire form). */
  readFiles: (paths: string[]) => Promise<Uint8Array>;
  itkBaseUrl: string;
  /** Batch requests in flight at the same time (default 4). */
  concurrency?: number;
  /** Files per batch request (default 16, at most the channel's 64). */
  batchSize?: number;
}

/** The bytes as a transferable ArrayBuffer of exactly their length (a copy only when they are a view into more). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

export function loadSeries(request: SeriesLoadRequest, callbacks: SeriesLoadCallbacks): SeriesLoadHandle {
  const worker = new Worker(new URL('./series.worker.ts', import.meta.url), { type: 'module', name: 'series-loader' });
  const started = performance.now();
  const total = request.files.length;
  const progress: LoadProgress = { totalFiles: total, filesRead: 0, filesDecoded: 0, filesFailed: 0, elapsedMs: 0 };
  const errors: FileError[] = [];
  const failedReads: number[] = [];
  let cancelled = false;
  let slicesFilled = 0;
  let lastReport = 0;
  const report = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastReport < 50) return;
    lastReport = now;
    callbacks.onProgress?.({ ...progress, elapsedMs: now - started });
  };
  const fail = (error: FileError): void => {
    errors.push(error);
    progress.filesFailed++;
    callbacks.onFileError?.(error);
    report();
  };
  const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);

  let settle!: { resolve: (o: SeriesLoadOutcome) => void; reject: (e: Error) => void };
  const result = new Promise<SeriesLoadOutcome>((resolve, reject) => (settle = { resolve, reject }));
  const finish = (): void => worker.terminate();

  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    if (cancelled) return;
    const message = event.data;
    if (message.type === 'slices') {
      slicesFilled += message.count;
      if (message.files > 0) progress.filesDecoded += message.files;
      else progress.filesDecoded = Math.min(total, Math.round((slicesFilled / Math.max(1, request.geometry.sizeIJK[2])) * total));
      callbacks.onSlices({ k: message.k, count: message.count, scalarType: message.scalarType, values: message.values });
      report(progress.filesDecoded === 1);
    } else if (message.type === 'file-error') {
      fail(message.error);
    } else if (message.type === 'collecting') {
      callbacks.onCollecting?.(message.transferSyntax);
    } else if (message.type === 'done') {
      finish();
      report(true);
      settle.resolve({ check: message.check, decoder: message.decoder, modality: message.modality, notes: message.notes, errors, slicesFilled });
    } else {
      finish();
      settle.reject(new Error(message.message));
    }
  };
  worker.onerror = (event) => {
    finish();
    settle.reject(new Error(event.message || 'series worker crashed'));
  };

  send({ type: 'start', files: request.files, geometry: request.geometry, itkBaseUrl: request.itkBaseUrl });
  const batches = readBatches(total, request.batchSize ?? 16);
  let next = 0;
  const pump = async (): Promise<void> => {
    while (!cancelled && next < batches.length) {
      const indices = batches[next++] as number[];
      const paths = indices.map((i) => request.files[i] as string);
      try {
        const bytes = await request.readFiles(paths);
        if (cancelled) return;
        // Views only (no copy): count what was read, report what was refused; the worker decodes the same buffer.
        decodeFileBatch(bytes).forEach((entry, i) => {
          if ('bytes' in entry) progress.filesRead++;
          else {
            failedReads.push(indices[i] as number);
            fail({ file: paths[i] as string, message: `read failed: ${entry.error}` });
          }
        });
        const buffer = ownBuffer(bytes);
        send({ type: 'batch', indices, bytes: buffer }, [buffer]);
        report();
      } catch (error) {
        if (cancelled) return;
        for (const [i, index] of indices.entries()) {
          failedReads.push(index);
          fail({ file: paths[i] as string, message: `read failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    }
  };
  void Promise.all(Array.from({ length: Math.max(1, Math.min(request.concurrency ?? 4, batches.length)) }, pump)).then(() => {
    if (!cancelled) send({ type: 'finish', failedReads });
  });

  return {
    result,
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      finish();
      settle.reject(new LoadCancelledError());
    },
  };
}
