/**
 * What a {@link Coalescer} runs its keys on: TanStack's QueryClient (query-target.ts) and, through
 * the same windows, any other work keyed by name (Inertia's partial reloads). `K` is a key, `O` the
 * options a run takes (at least the window's `wait`).
 */
export interface CoalesceTarget<K, O extends { wait: number }> {
  /** The key's identity: one window per hash. */
  hash(key: K): string;
  /** Whether running `a` with `aOptions` also does what running `b` with `bOptions` would (`['rooms']` covers `['rooms', 1]`). */
  covers(a: K, aOptions: O, b: K, bOptions: O): boolean;
  /** Two runs of one key coalesced into one: options that do what both would. */
  merge(a: O, b: O): O;
  /** Runs one key now. */
  run(key: K, options: O): void;
  /** True while the target still owes or watches something (its runs in flight), so the coalescer is not idle. */
  busy(): boolean;
  dispose(): void;
}

/** What the coalescer tells its target's maker: how a target reports back. */
export interface CoalescerLink<K, O> {
  /**
   * A run of `key` began after every event so far (e.g. once a fetch in flight settled): a trailing
   * run owed on exactly this key, covered by `options`, would only do the same again.
   */
  ranAfterAll(key: K, options: O): void;
  /** The target stopped being busy. */
  idle(): void;
}

/** One key's window: opened by a run, closed `wait` after the last one. */
interface KeyWindow<K, O> {
  key: K;
  hash: string;
  lastInvokeAt: number;
  /** Events arrived after the last run: one trailing run is owed. */
  pending: boolean;
  options: O;
  timer: ReturnType<typeof setTimeout> | undefined;
  dueAt: number;
}

/**
 * The app-wide coalescer, per key (by the target's hash):
 *
 * - an event on a key with no run in the last `wait` runs it at once;
 * - otherwise one trailing run comes `wait` after the last one (a throttle, not a debounce: a steady
 *   stream never pushes it back), so every event starts a run within `wait`;
 * - a key covered by a pending wider key is not run separately: the wider key's trailing run does it.
 *
 * What a run is, and what happens to work in flight, is the target's (for queries: never cancel a
 * fetch, invalidate it once more when it settles; see query-target.ts).
 */
export class Coalescer<K, O extends { wait: number }> {
  #windows = new Map<string, KeyWindow<K, O>>();
  readonly #target: CoalesceTarget<K, O>;
  /** Called when nothing is scheduled, owed or watched any more. */
  readonly #onIdle: () => void;

  constructor(makeTarget: (link: CoalescerLink<K, O>) => CoalesceTarget<K, O>, onIdle: () => void = () => {}) {
    this.#onIdle = onIdle;
    this.#target = makeTarget({
      ranAfterAll: (key, options) => {
        const window = this.#windows.get(this.#target.hash(key));
        if (window && this.#target.covers(key, options, window.key, window.options)) window.pending = false;
      },
      idle: () => this.#checkIdle(),
    });
  }

  /**
   * Schedules a run of each key, coalesced with everything else scheduled for it. With `delayMs`, a
   * key with no window open runs that much later rather than at once (the refetch spread after a
   * reconnect); events meanwhile join that run.
   */
  schedule(keys: readonly K[], options: O, delayMs = 0): void {
    for (const key of keys) this.#scheduleOne(key, options, delayMs);
  }

  /** Number of keys with an open window (for tests and leak checks). */
  get openWindows(): number {
    return this.#windows.size;
  }

  /** Cancels every timer and what the target watches. Pending trailing runs are dropped. */
  dispose(): void {
    for (const w of this.#windows.values()) clearTimeout(w.timer);
    this.#windows.clear();
    this.#target.dispose();
  }

  #checkIdle(): void {
    if (this.#windows.size === 0 && !this.#target.busy()) this.#onIdle();
  }

  #scheduleOne(key: K, options: O, delayMs: number): void {
    const target = this.#target;
    const hash = target.hash(key);
    const open = this.#windows.get(hash);
    if (open) {
      open.pending = true;
      open.options = target.merge(open.options, options);
      this.#arm(open);
      return;
    }
    const cover = this.#pendingCover(key, options);
    if (cover) {
      // The wider key's trailing run does this key's too; make it at least as eager.
      cover.options = target.merge(cover.options, options);
      this.#arm(cover);
      return;
    }
    const window: KeyWindow<K, O> = {
      key,
      hash,
      lastInvokeAt: Date.now(),
      pending: false,
      options,
      timer: undefined,
      dueAt: Infinity,
    };
    this.#windows.set(hash, window);
    if (delayMs > 0) {
      // Owed, and due `delayMs` from now: as if the last run had been `wait` before that.
      window.pending = true;
      window.lastInvokeAt += delayMs - options.wait;
    } else {
      this.#run(window);
    }
    this.#arm(window);
  }

  /** A window with a trailing run owed that does what running `key` would. */
  #pendingCover(key: K, options: O): KeyWindow<K, O> | undefined {
    for (const w of this.#windows.values()) {
      if (w.pending && this.#target.covers(w.key, w.options, key, options)) return w;
    }
    return undefined;
  }

  /** Sets the window's timer to `wait` after its last run, unless it is already due earlier. */
  #arm(w: KeyWindow<K, O>): void {
    const due = w.lastInvokeAt + w.options.wait;
    if (w.timer !== undefined && w.dueAt <= due) return;
    clearTimeout(w.timer);
    w.dueAt = due;
    w.timer = setTimeout(() => this.#fire(w), Math.max(0, due - Date.now()));
  }

  #fire(w: KeyWindow<K, O>): void {
    w.timer = undefined;
    if (!w.pending) {
      this.#windows.delete(w.hash);
      this.#checkIdle();
      return;
    }
    w.pending = false;
    w.lastInvokeAt = Date.now();
    this.#run(w);
    // Keep the window open for one more `wait` so the next event is coalesced, not leading.
    this.#arm(w);
  }

  #run(w: KeyWindow<K, O>): void {
    const { key, options } = w;
    // This run also does what narrower keys were owed.
    for (const other of this.#windows.values()) {
      if (other !== w && other.pending && this.#target.covers(key, options, other.key, other.options)) other.pending = false;
    }
    this.#target.run(key, options);
  }
}
