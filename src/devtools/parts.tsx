import { Component, useEffect, useState, type ReactNode } from 'react';
import type { Tone } from './format';

/** A status in colour and in words. */
export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span className="erq-badge" data-tone={tone}>
      {children}
    </span>
  );
}

/** `Date.now()`, re-read every `ms` while `active` (countdowns, "3 s ago"). */
export function useNow(ms: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  }, [ms, active]);
  return now;
}

/** Keeps a failure inside the devtools: the app goes on, the panel says what broke. */
export class DevtoolsBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(): void {
    // Shown in the panel; the app is not told (the devtools must never break it).
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="erq-body" role="alert">
        <p>The realtime devtools stopped: {String(error.message)}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
