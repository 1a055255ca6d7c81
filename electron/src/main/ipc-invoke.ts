/**
 * The IPC side of the shared dispatch: sender check first, then the same dispatch (channel lookup,
 * transport check, contract validation) as the browser-mode server. No Electron import: main.ts adapts
 * the IpcMainInvokeEvent into a SenderDescriptor and an event emitter.
 */
import { dispatch, failure } from '../ipc/dispatch.ts';
import type { CallContext, HandlerTable } from '../ipc/dispatch.ts';
import type { Envelope } from '../ipc/contract.ts';
import { checkSender } from './sender-policy.ts';
import type { SenderDescriptor, SenderPolicy } from './sender-policy.ts';

export interface IpcInvokeOptions {
  table: HandlerTable;
  policy: () => SenderPolicy;
  /** Called once per refused call (logging); never told the payload. */
  onRefused?: (reason: string, channel: unknown) => void;
}

export type IpcInvoke = (sender: SenderDescriptor, emit: CallContext['emit'], channel: unknown, payload: unknown) => Promise<Envelope<unknown>>;

export function createIpcInvoke(options: IpcInvokeOptions): IpcInvoke {
  return async (sender, emit, channel, payload) => {
    const verdict = checkSender(sender, options.policy());
    if (!verdict.ok) {
      options.onRefused?.(verdict.reason, channel);
      return failure('forbidden', channel, verdict.reason);
    }
    return dispatch(options.table, channel, payload, { transport: 'ipc', emit });
  };
}
