import { onDispose, park, providedView, registryOf, type RealtimeClient } from './client';
import { DEFAULT_LEAVE_GRACE_MS } from './options';

/** How many mounted providers show a client, and its pending disconnect once none does. */
interface Shown {
  count: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const shown = new WeakMap<RealtimeClient, Shown>();

/**
 * A provider shows `client` (connecting it) until the returned function is called. A client that
 * created its own Echo and that no provider shows any more (its last provider unmounted, or its
 * `client` prop replaced) is disconnected after its `leaveGraceMs`, closing its socket: a module
 * re-run by fast refresh leaves no socket behind. Shown again within the grace period (StrictMode's
 * remount, a route change), nothing happens on the wire; shown again later, it reconnects. An Echo
 * the app handed in is never closed, nor a socket a channel held outside React (`acquire()`) still
 * uses, and a client no provider ever showed is not concerned.
 */
export function provide(client: RealtimeClient): () => void {
  let held = shown.get(client);
  if (!held) {
    const created = { count: 0 } as Shown;
    shown.set(client, (held = created));
    onDispose(client, () => clearTimeout(created.timer));
  }
  const state = held;
  clearTimeout(state.timer);
  state.count += 1;
  client.connect();
  // React calls an effect's cleanup once.
  return () => {
    if (--state.count > 0 || !providedView(client).owns) return;
    // The grace starts after this commit's other cleanups: the hooks unmounted with the provider
    // (after it, when the whole tree goes) start their channels' grace periods first, so those
    // channels are left first. And one more turn before closing: pusher-js sends on a zero-delay
    // timer, and their unsubscribe frames must go out before the socket closes.
    queueMicrotask(() => {
      if (state.count > 0 || providedView(client).disposed) return;
      clearTimeout(state.timer);
      state.timer = setTimeout(() => {
        // The hooks that went with the provider have left their channels by now (their grace
        // began first). A channel still held is held outside React (`acquire()`): keep the socket.
        if (registryOf(client).size > 0) return;
        state.timer = setTimeout(() => park(client), 0);
      }, providedView(client).leaveGraceMs ?? DEFAULT_LEAVE_GRACE_MS);
    });
  };
}
