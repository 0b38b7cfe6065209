/**
 * The event Laravel broadcasts for notifications sent through the `broadcast` channel, spelled for
 * Echo (leading dot: used verbatim). Laravel sends it on the notifiable's private channel,
 * `App.Models.User.{id}` by default.
 */
export const NOTIFICATION_EVENT = '.Illuminate\\Notifications\\Events\\BroadcastNotificationCreated';

/** A broadcast notification's payload: your `toBroadcast()` data plus Laravel's `id` and `type`. */
export type LaravelNotification<Data extends object = Record<string, unknown>> = Data & {
  /** The notification's UUID. */
  id: string;
  /** The notification class, e.g. `App\\Notifications\\InvoicePaid` (or its `broadcastType()`). */
  type: string;
};

/**
 * The payload of a model broadcast event (`.PostUpdated`, `.PostDeleted`, ...) from a model with
 * `use BroadcastsEvents` and no `broadcastWith()`: the public properties of Laravel's
 * `BroadcastableModelEventOccurred`, `model` being the whole model as `toArray()` gives it, for
 * every event (a hard `deleted` too).
 */
export interface ModelBroadcast<Model = Record<string, unknown>> {
  model: Model;
  /** The queue connection and queue of the broadcast job (null unless the model names them). */
  connection?: string | null;
  queue?: string | null;
  afterCommit?: boolean | null;
  /** The sender's socket id, with `broadcast(...)->toOthers()`. */
  socket?: string | null;
}
