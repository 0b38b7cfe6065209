import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { inspectRealtime, useDebouncedReload } from '../../src';
import { setup } from '../helpers';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

test('a burst runs the reload at its start and once at its end, with the latest function', () => {
  const calls: string[] = [];
  const { result, rerender } = renderHook(({ tag }) => useDebouncedReload(() => calls.push(tag), { wait: 100 }), {
    initialProps: { tag: 'first' },
  });
  act(() => {
    for (let i = 0; i < 50; i++) result.current();
  });
  expect(calls).toEqual(['first']);
  rerender({ tag: 'second' });
  act(() => result.current());
  act(() => void vi.advanceTimersByTime(100));
  expect(calls).toEqual(['first', 'second']);
});

test('a steady stream still reloads every maxWait', () => {
  const reload = vi.fn();
  const { result } = renderHook(() => useDebouncedReload(reload, { wait: 100, maxWait: 300 }));
  act(() => {
    for (let t = 0; t < 1000; t += 20) {
      result.current();
      vi.advanceTimersByTime(20);
    }
  });
  expect(reload.mock.calls.length).toBeGreaterThanOrEqual(4);
});

test('unmounting cancels the pending call and leaves no timer', () => {
  const reload = vi.fn();
  const { result, unmount } = renderHook(() => useDebouncedReload(reload, { wait: 100 }));
  act(() => {
    result.current();
    result.current();
  });
  expect(vi.getTimerCount()).toBe(1);
  unmount();
  expect(vi.getTimerCount()).toBe(0);
  act(() => void vi.advanceTimersByTime(1000));
  expect(reload).toHaveBeenCalledTimes(1);
});

test('the devtools: a call waits until its run; one cancelled by the unmount stops waiting', () => {
  const { client, Wrapper } = setup();
  const inspector = inspectRealtime(client);
  const stop = inspector.subscribe(() => {});
  const waiting = () => inspector.getSnapshot().queries.waiting.map((w) => w.key);
  const { result, unmount } = renderHook(() => useDebouncedReload(() => {}, { wait: 100, name: 'servers' }), { wrapper: Wrapper });
  act(() => result.current()); // the leading run answers it
  expect(waiting()).toEqual([]);
  act(() => result.current());
  expect(waiting()).toEqual([['servers']]);
  unmount();
  expect(waiting()).toEqual([]);
  stop();
  client.dispose();
});
