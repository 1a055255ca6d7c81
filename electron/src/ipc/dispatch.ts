/**
 * The one dispatch path shared by both transports (Electron IPC and the browser-mode HTTP server):
 * channel lookup -> transport check -> request validation against the contract -> handler -> envelope.
 * Handlers never see an unvalidated payload and never throw across the boundary.
 */
import { channels, isChannelName } from './contract.ts';
import type { ChannelName, Envelope, ErrorCode, EventName, EventPayload, RemnantErrorInfo, RequestOf, ResponseOf, Transport } from './contract.ts';

export interface CallContext {
  readonly transport: Transport;
  /** Send an event to the caller (IPC: the calling window; HTTP: the event stream). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handler<C extends ChannelName> = (request: RequestOf<C>, context: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type HandlerTable = { readonly [C in ChannelName]?: Handler<C> };

/** Throw from a handler to choose the error code (default for other errors: 'failed'). */
export class HandlerError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'HandlerError';
    this.code = code;
  }
}

const MAX_NAME_IN_MESSAGE = 80;

function printable(name: unknown): string {
  if (typeof name !== 'string') return `<${name === null ? 'null' : typeof name}>`;
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_NAME_IN_MESSAGE ? `${clean.slice(0, MAX_NAME_IN_MESSAGE)}…` : clean;
}

export function failure(code: ErrorCode, channel: unknown, message: string): { ok: false; error: RemnantErrorInfo } {
  return { ok: false, error: { code, channel: printable(channel), message } };
}

export async function dispatch(table: HandlerTable, channel: unknown, payload: unknown, context: CallContext): Promise<Envelope<unknown>> {
  if (typeof channel !== 'string' || !isChannelName(channel)) {
    return failure('unknown-channel', channel, 'unknown channel');
  }
  const spec = channels[channel];
  if (!spec.transports.includes(context.transport)) {
    return failure('unavailable', channel, `not available over ${context.transport === 'http' ? 'the browser-mode server' : 'IPC'}`);
  }
  const handler = table[channel] as Handler<typeof channel> | undefined;
  if (!handler) return failure('unavailable', channel, 'no handler is registered for this channel in this process');
  const parsed = spec.request.parse(payload, 'request');
  if (!parsed.ok) return failure('invalid-request', channel, parsed.error);
  try {
    const value = await (handler as (request: unknown, context: CallContext) => unknown)(parsed.value, context);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof HandlerError) return failure(error.code, channel, error.message);
    const message = error instanceof Error ? error.message : String(error);
    return failure('failed', channel, message || 'failed');
  }
}
