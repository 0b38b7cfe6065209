import { type ReactElement, useContext, useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type PointerEvent } from 'react';
import type { RealtimeClient } from '../core';
import { RealtimeContext } from '../react/context';
import { CONNECTION_TONE } from './format';
import { DevtoolsBoundary } from './parts';
import { RealtimeDevtoolsPanel, type DevtoolsSection, type DevtoolsTheme } from './RealtimeDevtoolsPanel';
import { STYLES } from './styles';
import { useInspector } from './use-inspector';

/** Props of {@link RealtimeDevtools}. */
export interface RealtimeDevtoolsProps {
  /** The client to inspect. Default: the one from the nearest `RealtimeProvider`. */
  client?: RealtimeClient | null;
  /** Open at first render. Default false. */
  initialIsOpen?: boolean;
  /** The edge the panel opens along. Default `'bottom'`. */
  position?: 'bottom' | 'top' | 'left' | 'right';
  /** The corner of the button that opens it. Default `'bottom-left'` (TanStack Query's devtools take the right). */
  buttonPosition?: 'bottom-left' | 'bottom-right' | 'top-left' | 'top-right';
  /** Default `'system'`. */
  theme?: DevtoolsTheme;
  /** The section shown first. Default `'events'`. */
  initialSection?: DevtoolsSection;
  /** How many records the log keeps. Default 500. */
  bufferSize?: number;
}

const MIN_SIZE = 120;

const onResize = (changed: () => void) => {
  window.addEventListener('resize', changed);
  return () => window.removeEventListener('resize', changed);
};

/**
 * A corner button that opens the realtime devtools panel over the app, like TanStack Query's
 * devtools. Records from the moment it mounts (open or not). Renders nothing in production builds
 * imported from `echo-react-query/devtools`; import from `echo-react-query/devtools/production` to
 * ship it.
 */
export function RealtimeDevtools(props: RealtimeDevtoolsProps): ReactElement | null {
  // An error anywhere inside, the recording included, stays inside.
  return (
    <DevtoolsBoundary>
      <Floating {...props} />
    </DevtoolsBoundary>
  );
}

function Floating({
  client: given,
  initialIsOpen = false,
  position = 'bottom',
  buttonPosition = 'bottom-left',
  theme = 'system',
  initialSection,
  bufferSize,
}: RealtimeDevtoolsProps): ReactElement {
  const provided = useContext(RealtimeContext);
  const client = given === undefined ? provided : given;
  // Listening while closed: the log holds what happened before it was opened.
  const { snapshot } = useInspector(client?.enabled ? client : null, bufferSize);
  const [open, setOpen] = useState(initialIsOpen);
  const [size, setSize] = useState(320);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const vertical = position === 'top' || position === 'bottom';
  const status = snapshot?.connection.status ?? 'idle';

  // Opened by its button, focus goes to the section shown (the button is gone); closed by the
  // keyboard or its button, back to the button. Not on the first render: an initially open panel
  // does not take the page's focus.
  const refocus = useRef(false);
  useEffect(() => {
    if (refocus.current) (open ? panel.current?.querySelector<HTMLElement>('[role=tab][aria-selected=true]') : toggle.current)?.focus();
    refocus.current = false;
  }, [open]);
  const show = (next: boolean) => {
    refocus.current = true;
    setOpen(next);
  };
  // Escape closes it from inside only: the app's own dialogs keep their Escape.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && !e.defaultPrevented) show(false);
  };

  // The largest size, for assistive technology: the window's, which the server does not have.
  const viewport = useSyncExternalStore(onResize, () => (vertical ? window.innerHeight : window.innerWidth), () => undefined);
  const max = viewport === undefined ? undefined : Math.max(MIN_SIZE, viewport - 40);
  const clamp = (value: number) => Math.max(MIN_SIZE, Math.min(value, max ?? Infinity));
  const onDrag = (e: PointerEvent<HTMLButtonElement>) => {
    const start = vertical ? e.clientY : e.clientX;
    const from = size;
    const sign = position === 'bottom' || position === 'right' ? -1 : 1;
    const move = (m: globalThis.PointerEvent) => setSize(clamp(from + sign * ((vertical ? m.clientY : m.clientX) - start)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onResizeKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const grow = { bottom: 'ArrowUp', top: 'ArrowDown', right: 'ArrowLeft', left: 'ArrowRight' }[position];
    const shrink = { bottom: 'ArrowDown', top: 'ArrowUp', right: 'ArrowRight', left: 'ArrowLeft' }[position];
    if (e.key !== grow && e.key !== shrink) return;
    e.preventDefault();
    setSize((s) => clamp(s + (e.key === grow ? 24 : -24)));
  };

  if (!open) {
    return (
      <div className="erq-devtools" data-theme={theme} style={{ display: 'contents' }}>
        <style>{STYLES}</style>
        <button ref={toggle} type="button" className="erq-toggle" data-corner={buttonPosition} onClick={() => show(true)} aria-label={`Open the realtime devtools (${status})`}>
          <span className="erq-dot" data-tone={CONNECTION_TONE[status]} aria-hidden="true" />
          Realtime
        </button>
      </div>
    );
  }
  const handle = (
    <button
      type="button"
      className="erq-resize"
      role="separator"
      aria-orientation={vertical ? 'horizontal' : 'vertical'}
      aria-label="Resize the realtime devtools (arrow keys)"
      aria-valuenow={size}
      aria-valuemin={MIN_SIZE}
      aria-valuemax={max}
      onPointerDown={onDrag}
      onKeyDown={onResizeKey}
    />
  );
  return (
    <aside
      ref={panel}
      onKeyDown={onKeyDown}
      className="erq-devtools erq-float"
      data-theme={theme}
      data-position={position}
      aria-label="Realtime devtools"
      style={vertical ? { height: size } : { width: size }}
    >
      <style>{STYLES}</style>
      {(position === 'bottom' || position === 'right') && handle}
      <RealtimeDevtoolsPanel
        client={client}
        theme={theme}
        initialSection={initialSection}
        bufferSize={bufferSize}
        onClose={() => show(false)}
        style={{ flex: 1 }}
      />
      {(position === 'top' || position === 'left') && handle}
    </aside>
  );
}
