/**
 * Preload (sandboxed, context-isolated): exposes window.remnant, one method per contract channel.
 * ipcRenderer itself, IPC event objects and Node APIs never reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { buildPreloadApi } from './build-api.ts';

const api = buildPreloadApi({
  invoke: (ipcChannel, channel, payload) => ipcRenderer.invoke(ipcChannel, channel, payload),
  on: (ipcChannel, callback) => {
    const handler = (_event: IpcRendererEvent, eventName: unknown, payload: unknown): void => callback(eventName, payload);
    ipcRenderer.on(ipcChannel, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannel, handler);
    };
  },
});

contextBridge.exposeInMainWorld('remnant', api);
