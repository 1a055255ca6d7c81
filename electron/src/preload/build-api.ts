/**
 * Builds window.remnant from the contract: exactly one function per channel and one subscribe function per event.
 * Electron-free so it is testable; preload.ts passes ipcRenderer.invoke/on/removeListener wrapped in these
 * narrow functions, so the renderer never gets ipcRenderer, its events or its sender.
 */
import { IPC_EVENT, IPC_INVOKE, RemnantApiError, channels, events, isEventName } from '../ipc/contract.ts';
import type { Envelope, EventName, RemnantApi, Unsubscribe } from '../ipc/contract.ts';

export interface PreloadBridge {
  invoke(ipcChannel: typeof IPC_INVOKE, channel: string, payload: unknown): Promise<unknown>;
  /** Subscribe to IPC_EVENT; the callback receives (eventName, payload) — never the IPC event object. */
  on(ipcChannel: typeof IPC_EVENT, callback: (eventName: unknown, payload: unknown) => void): () => void;
}

function unwrap(channel: string, envelope: unknown): unknown {
  const e = envelope as Envelope<unknown> | null;
  if (e && e.ok === true) return e.value;
  if (e && e.ok === false && e.error) throw new RemnantApiError(e.error);
  throw new RemnantApiError({ code: 'failed', channel, message: 'malformed answer from the main process' });
}

export function buildPreloadApi(bridge: PreloadBridge): RemnantApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let detach: (() => void) | null = null;

  const onEvent = (eventName: unknown, payload: unknown): void => {
    if (typeof eventName !== 'string' || !isEventName(eventName)) return;
    for (const listener of listeners.get(eventName) ?? []) {
      try {
        listener(payload);
      } catch {
        // a throwing listener must not stop the others
      }
    }
  };

  const subscribe = (event: EventName, listener: unknown): Unsubscribe => {
    if (typeof listener !== 'function') throw new TypeError(`${event}: listener must be a function`);
    const fn = listener as (payload: unknown) => void;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(fn);
    detach ??= bridge.on(IPC_EVENT, onEvent);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(fn);
      if ([...listeners.values()].every((s) => s.size === 0) && detach) {
        detach();
        detach = null;
      }
    };
  };

  const api: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(channels)) {
    api[spec.method] = async (request?: unknown) => unwrap(name, await bridge.invoke(IPC_INVOKE, name, request));
  }
  for (const [name, spec] of Object.entries(events)) {
    api[spec.method] = (listener: unknown) => subscribe(name as EventName, listener);
  }
  return Object.freeze(api) as unknown as RemnantApi;
}
