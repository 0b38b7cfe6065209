/** What went wrong, so `onError` handlers can branch without parsing messages. */
export type RealtimeErrorCode =
  /** A handler (`onEvent`, `updateCache`, `invalidate` function) threw, or returned a bad key. */
  | 'handler'
  /** `/broadcasting/auth` refused or failed for a private / presence channel. */
  | 'auth'
  /** The channel could not be joined for another reason (e.g. encrypted channels on socket.io). */
  | 'subscription'
  /** The client was misconfigured or the connection could not start. */
  | 'config';

/** Context attached to a {@link RealtimeError}. */
export interface RealtimeErrorContext {
  channel?: string;
  event?: string;
  /** The event payload that was being handled, as received. */
  payload?: unknown;
  /** HTTP status from the auth endpoint, when there was one. */
  status?: number;
  cause?: unknown;
}

/** The message of an Error, or the value as text (for wrapping whatever a callback threw). */
export function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/**
 * A {@link RealtimeError} whose text exists in development builds only. Call sites pass
 * `process.env.NODE_ENV !== 'production' && \`...\``, so production bundles drop the sentence and
 * the message is the code, the channel and the cause's own message.
 */
export function failure(code: RealtimeErrorCode, text: string | false, context: RealtimeErrorContext = {}): RealtimeError {
  const where = context.channel ? ` ${context.channel}` : '';
  const why = context.cause !== undefined ? `: ${messageOf(context.cause)}` : '';
  return new RealtimeError(code, text || `${code}${where}${why}`, context);
}

/** Every error this package reports (to `onError`, and as a channel's `error`). */
export class RealtimeError extends Error {
  readonly code: RealtimeErrorCode;
  readonly channel?: string;
  readonly event?: string;
  readonly payload?: unknown;
  readonly status?: number;

  constructor(code: RealtimeErrorCode, message: string, context: RealtimeErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'RealtimeError';
    this.code = code;
    this.channel = context.channel;
    this.event = context.event;
    this.payload = context.payload;
    this.status = context.status;
  }
}
