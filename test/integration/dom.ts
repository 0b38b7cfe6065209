// The wire tests run in Node's environment (the server side, the pusher SDK and tweetnacl need
// Node's own typed arrays, which vitest's jsdom environment replaces) with a DOM added for React.
import '../../bench/dom';
