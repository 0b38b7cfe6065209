/**
 * echo-react-query/testing: a per-test fake realtime server under a real laravel-echo instance.
 * @packageDocumentation
 */
export { createFakeEcho, FakeEcho } from './fake-echo';
export type {
  FakeAuthDecision,
  FakeAuthorizer,
  FakeAuthRequest,
  FakeChannelStats,
  FakeConnectionState,
  FakeEchoOptions,
  FakeUser,
  FakeWhisper,
} from './fake-echo';
