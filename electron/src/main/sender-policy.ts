/**
 * Who may call the privileged API over IPC: only the top frame of one of our own windows, showing our own origin.
 * Plain data in, decision out, so it is testable without Electron (main.ts builds the descriptor from the IPC event).
 */
import { isAppUrl } from './app-protocol.ts';

export interface SenderDescriptor {
  /** URL of the sending frame (event.senderFrame.url); null when the frame is gone. */
  frameUrl: string | null;
  /** True when the sending frame is the top frame (senderFrame.parent === null). */
  isMainFrame: boolean;
  /** event.sender.id */
  webContentsId: number;
}

export interface SenderPolicy {
  /** webContents ids of windows we created. */
  trustedWebContentsIds: ReadonlySet<number>;
  /** Development only: the vite dev server origin the window is loaded from. */
  devServerOrigin?: string;
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string };

function sameHttpOrigin(rawUrl: string, origin: string): boolean {
  try {
    const url = new URL(rawUrl);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

export function checkSender(sender: SenderDescriptor, policy: SenderPolicy): SenderVerdict {
  if (!policy.trustedWebContentsIds.has(sender.webContentsId)) return { ok: false, reason: 'sender is not an application window' };
  if (!sender.isMainFrame) return { ok: false, reason: 'sender is a sub-frame' };
  if (sender.frameUrl === null) return { ok: false, reason: 'sender frame is gone' };
  if (isAppUrl(sender.frameUrl)) return { ok: true };
  if (policy.devServerOrigin && sameHttpOrigin(sender.frameUrl, policy.devServerOrigin)) return { ok: true };
  return { ok: false, reason: 'sender origin is not the application' };
}
