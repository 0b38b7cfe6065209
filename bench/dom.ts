// A browser-like global scope for rendering React in plain Node (benchmarks, the demo, wire tests):
// jsdom's window and document, plus a WebSocket (Node 20 has none; browser code such as
// socket.io-client looks for it once `window` exists).
import { JSDOM } from 'jsdom';
import { WebSocket } from 'ws';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  navigator: dom.window.navigator,
  IS_REACT_ACT_ENVIRONMENT: true,
});
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
