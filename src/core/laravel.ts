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

/** The payload of a model broadcast event (`.PostUpdated`, `.PostDeleted`, ...): the model as an array. */
export interface ModelBroadcast<Model = Record<string, unknown>> {
  model: Model;
}
