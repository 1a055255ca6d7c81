/**
 * Series worker: fetches the files of one series (URLs from the ViewerApi), decodes them, assembles the volume,
 * applies the modality LUT once and transfers the scalars to the main thread. Per-file failures are reported and
 * skipped; cancel = the main thread terminates this worker.
 */
import { assembleVolume, decodeSlice } from './minimal-reader.ts';
import type { DecodedSlice, FileError } from './minimal-reader.ts';
import { applyModalityLut } from './modality-lut.ts';
import type { LoadProgress } from './progress.ts';
import type { LoadRequest, WorkerMessage } from './worker-protocol.ts';

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<LoadRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

async function load(request: LoadRequest): Promise<void> {
  const started = performance.now();
  const progress: LoadProgress = { totalFiles: request.files.length, filesRead: 0, filesDecoded: 0, filesFailed: 0, elapsedMs: 0 };
  const slices: DecodedSlice[] = [];
  const errors: FileError[] = [];
  let firstByteMs = -1;
  let lastPost = 0;
  const report = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastPost < 50) return;
    lastPost = now;
    post({ type: 'progress', progress: { ...progress, elapsedMs: now - started } });
  };
  let next = 0;
  const fail = (path: string, message: string): void => {
    const error = { file: path, message };
    errors.push(error);
    progress.filesFailed++;
    post({ type: 'file-error', error });
  };
  const pump = async (): Promise<void> => {
    while (next < request.files.length) {
      const file = request.files[next++];
      let bytes: Uint8Array;
      try {
        const response = await fetch(file.url, { headers: file.headers });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        bytes = new Uint8Array(await response.arrayBuffer());
        if (firstByteMs < 0) firstByteMs = performance.now() - started;
        progress.filesRead++;
      } catch (e) {
        fail(file.path, `read failed: ${(e as Error).message}`);
        report();
        continue;
      }
      try {
        slices.push(decodeSlice(bytes));
        progress.filesDecoded++;
      } catch (e) {
        fail(file.path, `decode failed: ${(e as Error).message}`);
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, pump));
  const readMs = performance.now() - started;
  report(true);
  if (slices.length === 0) {
    post({ type: 'failed', message: 'no file of this series could be decoded', errors });
    return;
  }
  const { volume, modality } = assembleVolume(slices);
  slices.length = 0;
  const scalars = applyModalityLut(volume.pixels, volume.rescaleSlope, volume.rescaleIntercept);
  post(
    {
      type: 'done',
      geometry: volume.geometry,
      modality,
      scalars,
      rescaleSlope: volume.rescaleSlope,
      rescaleIntercept: volume.rescaleIntercept,
      errors,
      timings: { firstByteMs, readMs, totalMs: performance.now() - started },
    },
    [scalars.buffer as ArrayBuffer],
  );
}

scope.onmessage = (event: MessageEvent<LoadRequest>) => {
  if (event.data.type !== 'load') return;
  load(event.data).catch((e: unknown) => post({ type: 'failed', message: (e as Error).message, errors: [] }));
};
