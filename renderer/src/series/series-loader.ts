/** Main-thread handle on one series load in a worker: progress callbacks, a promise for the volume, cancel. */
import type { FileError } from './minimal-reader.ts';
import type { LoadProgress } from './progress.ts';
import type { LoadedVolumeMessage, LoadRequest, WorkerMessage } from './worker-protocol.ts';

export interface SeriesLoadHandle {
  result: Promise<LoadedVolumeMessage>;
  cancel(): void;
}

export class LoadCancelledError extends Error {
  constructor() {
    super('load cancelled');
    this.name = 'LoadCancelledError';
  }
}

export function loadSeriesInWorker(
  files: Array<{ path: string; url: string; headers: Record<string, string> }>,
  callbacks: { onProgress?: (p: LoadProgress) => void; onFileError?: (e: FileError) => void },
): SeriesLoadHandle {
  const worker = new Worker(new URL('./series.worker.ts', import.meta.url), { type: 'module', name: 'series-loader' });
  let settle: { reject: (e: Error) => void } | undefined;
  const result = new Promise<LoadedVolumeMessage>((resolve, reject) => {
    settle = { reject };
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === 'progress') callbacks.onProgress?.(message.progress);
      else if (message.type === 'file-error') callbacks.onFileError?.(message.error);
      else if (message.type === 'done') {
        worker.terminate();
        resolve(message);
      } else {
        worker.terminate();
        reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'series worker crashed'));
    };
  });
  const request: LoadRequest = { type: 'load', files, concurrency: 6 };
  worker.postMessage(request);
  return {
    result,
    cancel: () => {
      worker.terminate();
      settle?.reject(new LoadCancelledError());
    },
  };
}
