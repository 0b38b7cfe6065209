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
  /** The target could not run `key` when asked (it was busy): ask again, through the rate limit. */
  again(key: K, options: O): void;
  /** The target stopped being busy. */
  idle(): void;
}

/** Runs a key may make at once before the rate limit applies (the bucket's size). */
export const BURST = 3;

/**
 * One key's rate limit, a token bucket: {@link BURST} tokens, one back every `wait`. Open while the
 * bucket is not full or a run is owed.
 */
interface KeyWindow<K, O> {
  key: K;
  hash: string;
  /** Runs the key may make now (fractional while refilling). */
  tokens: number;
  /** When `tokens` was last brought up to date. */
  refilledAt: number;
  /** Not run before this time (the refetch spread after a reconnect). */
  notBefore: number;
  /** Events arrived that no run has answered yet: one run is owed. */
  pending: boolean;
  options: O;
  timer: ReturnType<typeof setTimeout> | undefined;
  dueAt: number;
}

/**
 * The app-wide coalescer, per key (by the target's hash), a rate limit rather than a window:
 *
 * - a short sequence runs at once: each event runs its key while the key has a token ({@link BURST}
 *   of them, one back every `wait`), so a few updates in a row are each shown as fast as by hand;
 * - a sustained stream is capped: once the tokens are spent, the events share one run as soon as a
 *   token is back, so every event starts a run within `wait`, and at most one per `wait` after the
 *   first few;
 * - a key covered by a pending wider key is not run separately: the wider key's owed run does it.
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
      again: (key, options) => this.#scheduleOne(key, options, 0),
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
      open.options = target.merge(open.options, options);
      if (!open.pending && delayMs <= 0 && this.#take(open)) this.#run(open);
      else open.pending = true;
      this.#arm(open);
      return;
    }
    const cover = this.#pendingCover(key, options);
    if (cover) {
      // The wider key's owed run does this key's too; make it at least as eager.
      cover.options = target.merge(cover.options, options);
      this.#arm(cover);
      return;
    }
    const now = Date.now();
    const window: KeyWindow<K, O> = {
      key,
      hash,
      tokens: BURST,
      refilledAt: now,
      notBefore: now + delayMs,
      pending: false,
      options,
      timer: undefined,
      dueAt: Infinity,
    };
    this.#windows.set(hash, window);
    // Owed and due `delayMs` from now (the refetch spread after a reconnect), or run at once.
    if (delayMs > 0) window.pending = true;
    else if (this.#take(window)) this.#run(window);
    this.#arm(window);
  }

  /** A window with a run owed that does what running `key` would. */
  #pendingCover(key: K, options: O): KeyWindow<K, O> | undefined {
    for (const w of this.#windows.values()) {
      if (w.pending && this.#target.covers(w.key, w.options, key, options)) return w;
    }
    return undefined;
  }

  /** Brings the bucket up to date: one token back per `wait` since the last look. */
  #refill(w: KeyWindow<K, O>): number {
    const now = Date.now();
    const wait = w.options.wait;
    // (A clock set back gives nothing back, and takes nothing either.)
    w.tokens = wait > 0 ? Math.min(BURST, w.tokens + Math.max(0, now - w.refilledAt) / wait) : BURST;
    w.refilledAt = now;
    return now;
  }

  /** Takes a token when one is there and the key may run now. */
  #take(w: KeyWindow<K, O>): boolean {
    const now = this.#refill(w);
    if (w.tokens < 1 || now < w.notBefore) return false;
    w.tokens -= 1;
    return true;
  }

  /**
   * Sets the window's timer: when a token is back for an owed run, else when the bucket is full
   * again (the window closes). Never later than a timer already set.
   */
  #arm(w: KeyWindow<K, O>): void {
    const wait = w.options.wait;
    const due = w.pending
      ? Math.max(w.notBefore, w.refilledAt + Math.max(0, 1 - w.tokens) * wait)
      : w.refilledAt + Math.max(0, BURST - w.tokens) * wait;
    if (w.timer !== undefined && w.dueAt <= due) return;
    clearTimeout(w.timer);
    w.dueAt = due;
    w.timer = setTimeout(() => this.#fire(w), Math.max(0, due - Date.now()));
  }

  #fire(w: KeyWindow<K, O>): void {
    w.timer = undefined;
    if (w.pending) {
      if (this.#take(w)) {
        w.pending = false;
        this.#run(w);
      }
    } else {
      this.#refill(w);
      if (w.tokens >= BURST - 1e-9) {
        this.#windows.delete(w.hash);
        this.#checkIdle();
        return;
      }
    }
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
