/**
 * The inspector: what a client does, as a typed stream and a snapshot, for the devtools and for
 * apps that log or assert it. The parts report to it through `shared/tap` with objects they already
 * hold; it turns them into records only while something subscribes. Loaded only by apps that inspect.
 */
export { inspectRealtime } from './inspector';
export type * from './types';
