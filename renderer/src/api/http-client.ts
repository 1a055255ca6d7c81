/**
 * Browser-mode client: implements RemnantApi over fetch against electron/src/web/server.ts.
 * No Node and no DOM-only imports (fetch, TextDecoder, AbortController exist in browsers, workers and Node 22), so the
 * renderer can use it as-is and tests (tests/api/http-transport.test.ts) drive it against the real server in-process.
 *
 * The contract is imported for TYPES only (renderer/ never runs code from electron/): the method tables below are typed
 * so that the compiler refuses a missing, extra or misnamed channel, and the wire constants are typed as the contract's
 * literal constants, so a drift fails `tsc -b`.
 *
 * Renderer bootstrap: the launch URL redirects to `/#token=<token>`; call `tokenFromHash(location.hash)`, keep the
 * token in memory (or sessionStorage) and clear the fragment with history.replaceState.
 */
import type {
  ChannelName,
  Channels,
  ErrorCode,
  EventName,
  Events,
  HTTP_API_PREFIX,
  HTTP_BINARY_CONTENT_TYPE,
  HTTP_EVENTS_PATH,
  HTTP_TOKEN_HEADER,
  RemnantApi,
  RemnantErrorInfo,
  Unsubscribe,
} from '../../../electron/src/ipc/contract.ts';

const API_PREFIX: typeof HTTP_API_PREFIX = '/api/call/';
const EVENTS_PATH: typeof HTTP_EVENTS_PATH = '/api/events';
export const TOKEN_HEADER: typeof HTTP_TOKEN_HEADER = 'x-remnant-token';
const BINARY_CONTENT_TYPE: typeof HTTP_BINARY_CONTENT_TYPE = 'application/octet-stream';

/** Method name -> channel, for every channel of the contract (the mapped type makes the list exact). */
export const channelOfMethod: { readonly [C in ChannelName as Channels[C]['method']]: C } = {
  indexDicom: 'dicom:index',
  openFolder: 'dialog:openFolder',
  readDicomFile: 'dicom:readFile',
  readDicomFiles: 'dicom:readFiles',
  getAppInfo: 'app:info',
  openWorkspace: 'workspace:open',
  getWorkspace: 'workspace:info',
  createCase: 'workspace:createCase',
  getCase: 'workspace:getCase',
  updateAnthropometrics: 'workspace:updateAnthropometrics',
  addTimepoint: 'workspace:addTimepoint',
  bindSeries: 'workspace:bindSeries',
  openSegmentation: 'segmentation:open',
  recordSegmentationOp: 'segmentation:record',
  exportSegmentationNifti: 'segmentation:exportNifti',
  closeSegmentation: 'segmentation:close',
  getSegmentStyles: 'segmentation:getSegmentStyles',
  saveSegmentStyles: 'segmentation:saveSegmentStyles',
  listReviewerKeys: 'keys:list',
  createReviewerKey: 'keys:create',
  importReviewerKey: 'keys:import',
  previewReport: 'report:preview',
  signAndExportReport: 'report:sign',
  listSignedReports: 'report:list',
  cosignReport: 'report:cosign',
};

/** Method name -> event, for every event of the contract. */
export const eventOfMethod: { readonly [E in EventName as Events[E]['method']]: E } = {
  onIndexProgress: 'index:progress',
  onFolderOpened: 'folder:opened',
};

const eventNames: ReadonlySet<string> = new Set(Object.values(eventOfMethod));
const isEventName = (name: string): name is EventName => eventNames.has(name);

/** A failed call, with the contract's error code (mirrors ApiCallError, which lives on the privileged side). */
export class ApiCallError extends Error implements RemnantErrorInfo {
  readonly code: ErrorCode;
  readonly channel: string;
  constructor(info: RemnantErrorInfo) {
    super(`${info.channel}: ${info.message}`);
    this.name = 'ApiCallError';
    this.code = info.code;
    this.channel = info.channel;
  }
}

export interface HttpClientOptions {
  token: string;
  /** Server origin; '' (default) means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Delay before the event stream reconnects after a drop (default 1000 ms). */
  reconnectDelayMs?: number;
}

export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token && /^[A-Za-z0-9_-]{16,256}$/.test(token) ? token : null;
}

function isErrorInfo(value: unknown): value is RemnantErrorInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string' && typeof v.channel === 'string';
}

/** One parsed Server-Sent Events frame. */
export interface SseFrame {
  event: string;
  data: string;
}

/** Pure: split a buffer into complete SSE frames and the unfinished rest. Comment lines (":") are skipped. */
export function parseSseChunk(buffer: string): { frames: SseFrame[]; rest: string } {
  const normalised = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  const frames: SseFrame[] = [];
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join('\n') });
  }
  return { frames, rest };
}

export function createHttpClient(options: HttpClientOptions): RemnantApi {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const reconnectDelay = options.reconnectDelayMs ?? 1000;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | null = null;

  const call = async (channel: string, request: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(`${base}${API_PREFIX}${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: options.token },
        body: request === undefined ? '' : JSON.stringify(request),
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiCallError({ code: 'unavailable', channel, message: `server unreachable (${error instanceof Error ? error.message : String(error)})` });
    }
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith(BINARY_CONTENT_TYPE)) {
      return new Uint8Array(await response.arrayBuffer());
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiCallError({ code: 'failed', channel, message: `unexpected answer (HTTP ${response.status})` });
    }
    const envelope = body as { ok?: unknown; value?: unknown; error?: unknown };
    if (envelope.ok === true && response.ok) return envelope.value;
    if (isErrorInfo(envelope.error)) throw new ApiCallError(envelope.error);
    throw new ApiCallError({ code: 'failed', channel, message: `unexpected answer (HTTP ${response.status})` });
  };

  const deliver = (frame: SseFrame): void => {
    if (!isEventName(frame.event)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(frame.data);
    } catch {
      return;
    }
    for (const listener of listeners.get(frame.event) ?? []) listener(payload);
  };

  const hasListeners = (): boolean => [...listeners.values()].some((set) => set.size > 0);

  const runStream = async (controller: AbortController): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await doFetch(`${base}${EVENTS_PATH}`, {
          headers: { [TOKEN_HEADER]: options.token, Accept: 'text/event-stream' },
          signal: controller.signal,
          credentials: 'omit',
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const parsed = parseSseChunk(buffer);
          buffer = parsed.rest;
          parsed.frames.forEach(deliver);
        }
      } catch {
        // dropped or refused: retry below while someone is listening
      }
      if (controller.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reconnectDelay);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  const subscribe = (event: EventName, listener: (payload: unknown) => void): Unsubscribe => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    if (!stream) {
      stream = new AbortController();
      void runStream(stream);
    }
    return () => {
      set.delete(listener);
      if (!hasListeners() && stream) {
        stream.abort();
        stream = null;
      }
    };
  };

  const api: Record<string, unknown> = {};
  for (const [method, name] of Object.entries(channelOfMethod)) {
    api[method] = (request?: unknown) => call(name, request);
  }
  for (const [method, name] of Object.entries(eventOfMethod)) {
    api[method] = (listener: (payload: unknown) => void) => subscribe(name, listener);
  }
  return Object.freeze(api) as unknown as RemnantApi;
}
