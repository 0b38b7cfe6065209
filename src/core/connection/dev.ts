import { warnOnce } from '../shared';

// Development builds: what the connection's options say about likely mistakes.

/**
 * Echo options made by `echoConfigFromEnv` (laravel/env.ts) -> the environment variable their `key`
 * would have come from (`NEXT_PUBLIC_REVERB_APP_KEY`, `VITE_PUSHER_APP_KEY`, ...), for the "realtime
 * is off" warning. Written in development builds only.
 */
export const keyVariables = new WeakMap<object, string>();

/** The variable recorded for `config` (see {@link keyVariables}), or undefined for options made another way. */
export function envKeyVariable(config: object): string | undefined {
  return keyVariables.get(config);
}

/**
 * Development builds: Echo options for a Pusher-protocol broadcaster without a key turn realtime
 * off. Names the variable the key comes from: the one echoConfigFromEnv read (VITE_* or
 * NEXT_PUBLIC_*), else Vite's name for the broadcaster.
 */
export function warnRealtimeOff(broadcaster: unknown, config: { wsHost?: unknown }): void {
  const variable =
    envKeyVariable(config) ??
    (broadcaster === 'reverb' ? 'VITE_REVERB_APP_KEY' : String(config.wsHost).includes('ably') ? 'VITE_ABLY_PUBLIC_KEY' : 'VITE_PUSHER_APP_KEY');
  warnOnce(`Realtime is off: the ${String(broadcaster)} options have no \`key\` (is ${variable} set, and was the app rebuilt since?). Every hook does nothing.`);
}
