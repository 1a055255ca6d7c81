/** Main-thread handle on the segmentation worker: promise per request, answers matched by id. */
import type { EditRequest, EditResult, FromWorker, ImportedSegmentInfo, ToWorker } from './protocol.ts';
import type { RoleMapping } from '../../../wasm/src/segments/compose.ts';

type Init = Omit<Extract<ToWorker, { type: 'init' }>, 'id' | 'type'>;

export interface EngineClient {
  init(init: Init): Promise<EditResult>;
  edit(request: EditRequest): Promise<EditResult>;
  setLocked(key: string, locked: boolean): Promise<string[]>;
  importInspect(bytes: Uint8Array, fileName: string): Promise<{ format: string; segments: ImportedSegmentInfo[] }>;
  importApply(mapping: RoleMapping): Promise<EditResult>;
  labelmap(): Promise<Uint8Array>;
  terminate(): void;
}

export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('./segmentation.worker.ts', import.meta.url), { type: 'module', name: 'segmentation-engine' });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(m.error));
  };
  worker.onerror = (event) => {
    for (const w of waiting.values()) w.reject(new Error(`segmentation worker failed: ${event.message}`));
    waiting.clear();
  };
  const send = <T>(message: ToWorker, transfer: Transferable[] = []): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      waiting.set(message.id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage(message, transfer);
    });
  return {
    init: (init) => send({ id: next++, type: 'init', ...init }, [init.pixels.buffer, init.labelmap.buffer]),
    edit: (request) => send({ id: next++, type: 'edit', request }),
    setLocked: (key, locked) => send({ id: next++, type: 'set-locked', key, locked }),
    importInspect: (bytes, fileName) => send({ id: next++, type: 'import-inspect', bytes, fileName }),
    importApply: (mapping) => send({ id: next++, type: 'import-apply', mapping }),
    labelmap: () => send({ id: next++, type: 'labelmap' }),
    terminate: () => {
      worker.terminate();
      for (const w of waiting.values()) w.reject(new Error('segmentation worker terminated'));
      waiting.clear();
    },
  };
}
