/**
 * Commands: optimistic mutations keyed on a `commandId`, confirmed by the server's broadcast. Owns
 * each command's state, the optimistic layers over the cache, and the per-client tracker. Loaded
 * only by `useRealtimeMutation` / `useCommands`.
 */
export { Command, defaultCommandIdOf, newCommandId } from './command';
export type { CommandConfirmation, CommandHandle, CommandOptions, CommandState, CommandStatus, OptimisticUpdate } from './command';
export { LayerStore, tick } from './layers';
export type { Layer } from './layers';
export { CommandTracker, commandsOf, peekCommands } from './tracker';
