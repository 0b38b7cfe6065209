import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { toKeyList, type EventReaction, type QueryKeys } from '../invalidation';
import type { ModelBroadcast } from './notifications';

/** The model events Laravel broadcasts with `use BroadcastsEvents` (trashed / restored with `SoftDeletes`). */
export type ModelEventName = 'created' | 'updated' | 'deleted' | 'trashed' | 'restored';

const MODEL_EVENTS: readonly ModelEventName[] = ['created', 'updated', 'deleted', 'trashed', 'restored'];

/** How the model hooks name a model event on the wire: Laravel's `broadcastAs($event)`. */
export type ModelBroadcastAs = Partial<Record<ModelEventName, string>> | ((event: ModelEventName) => string);

/** What the model hooks share. */
export interface ModelBindingOptions<M extends object> {
  /** The model class, as PHP or Echo writes it: `App\\Models\\Post` or `App.Models.Post`. */
  model: string;
  /** Query keys of lists that show the model: invalidated on every event (`[]` for none). */
  lists?: QueryKeys;
  /**
   * The event names, if the model defines `broadcastAs($event)`: a map (`{ updated: 'PostSaved' }`)
   * or a function. Default Laravel's: the class basename plus the event (`PostUpdated`).
   */
  broadcastAs?: ModelBroadcastAs;
  /** Which events to listen to; default all five. */
  events?: readonly ModelEventName[];
  /**
   * Replaces the default reaction to an event (the lists are still invalidated and recovered), or
   * `false` to ignore it. Every event carries the whole model (`toArray()`), `deleted` too: a hard
   * delete is broadcast at once, before the model is gone; with `SoftDeletes`, `delete()` sends
   * `trashed` then `deleted`, both with the trashed model, and `forceDelete()` sends nothing.
   */
  on?: { [E in ModelEventName]?: EventReaction<ModelBroadcast<M>> | false };
  /** Called after the cache work for every event (a toast, a log), with the broadcast model. */
  onChange?: (event: ModelEventName, payload: ModelBroadcast<M>) => void;
  /**
   * What to store from a broadcast model, e.g. `(model) => ({ data: model })` for an API resource.
   * Default: the model merged over the cached object (attributes the broadcast lacks, such as
   * relations that were not loaded, are kept).
   */
  toQueryData?: (model: M, previous: unknown) => unknown;
}

/** `App.Models.Post` for `App\Models\Post` (Laravel's `broadcastChannel()` spelling). */
export function modelClassPath(model: string): string {
  return model.replace(/\\/g, '.');
}

/** The model's private channel, as Laravel's `broadcastChannel()` names it: `App.Models.Post.5`. */
export function modelChannel(model: string, id: string | number): string {
  return `${modelClassPath(model)}.${id}`;
}

/** The Echo event name of a model event: `.PostUpdated`, or the model's `broadcastAs`. */
export function modelEventName(model: string, event: ModelEventName, broadcastAs?: ModelBroadcastAs): string {
  const custom = typeof broadcastAs === 'function' ? broadcastAs(event) : broadcastAs?.[event];
  if (custom) return '.' + custom.replace(/^\./, '');
  const basename = modelClassPath(model).split('.').pop()!;
  return `.${basename}${event[0]!.toUpperCase()}${event.slice(1)}`;
}

/**
 * The key of the model in a payload: `model[idKey]` (Laravel sends the whole model for every event,
 * a hard `deleted` included), the payload's own `idKey` for a model with its own `broadcastWith()`
 * that sends no `model`, or `model` itself when an app broadcasts only the key.
 */
export function modelKeyOf(payload: ModelBroadcast<object> | null | undefined, idKey: string): string | number | undefined {
  const model = payload?.model as unknown;
  if (typeof model === 'string' || typeof model === 'number') return model;
  // No `model`: a broadcastWith() of the app's own, which usually carries the key at the top.
  const id = ((model ?? payload) as Record<string, unknown> | null | undefined)?.[idKey];
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * The reactions of the model hooks, by Echo event name. Updated / restored write `model` into the
 * detail query and invalidate the lists; deleted / trashed remove the detail query and invalidate
 * the lists; created invalidates the lists. `detailKey` gives the detail query of a payload (none:
 * lists only).
 */
export function modelReactions<M extends object>(
  options: ModelBindingOptions<M>,
  detailKey: ((payload: ModelBroadcast<M>) => QueryKey | undefined) | null,
  recover: QueryKey[],
): Record<string, EventReaction<ModelBroadcast<M>>> {
  const lists = toKeyList(options.lists);
  const reactions: Record<string, EventReaction<ModelBroadcast<M>>> = {};
  for (const event of options.events ?? MODEL_EVENTS) {
    const custom = options.on?.[event] as EventReaction<ModelBroadcast<M>> | false | undefined;
    if (custom === false) continue;
    let reaction: EventReaction<ModelBroadcast<M>>;
    if (custom) reaction = { invalidate: lists, recover, ...custom };
    else if (event === 'created' || !detailKey) reaction = { invalidate: lists, recover };
    else if (event === 'updated' || event === 'restored') {
      const toQueryData = options.toQueryData ?? mergeModel;
      reaction = {
        setQueryData: { queryKey: (p) => (hasModel(p) ? detailKey(p) : undefined), updater: (p, previous) => toQueryData(p.model, previous) },
        // A model with its own broadcastWith() sends no `model`: refetch the detail instead.
        invalidate: (p) => (hasModel(p) ? lists : [...lists, ...toKeyList(detailKey(p) ? [detailKey(p)!] : [])]),
        recover,
      };
    } else {
      reaction = {
        updateCache: (p: ModelBroadcast<M>, qc: QueryClient) => {
          // With SoftDeletes, delete() broadcasts `trashed` and then `deleted` with the trashed
          // model: the second is the same change. A hard delete (no SoftDeletes) is sent at once,
          // with the model as it was; forceDelete() on a SoftDeletes model broadcasts nothing.
          if (event === 'deleted' && hasModel(p) && (p.model as { deleted_at?: unknown }).deleted_at) return;
          const key = detailKey(p);
          if (!key) return;
          const filters = { queryKey: key, exact: true };
          // A query on screen would keep showing the model: reset it, so it shows what the server
          // says now; one nobody shows is simply removed.
          if (qc.getQueryCache().find(filters)?.getObserversCount()) void qc.resetQueries(filters).catch(noop);
          else qc.removeQueries(filters);
        },
        invalidate: lists,
        recover,
      };
    }
    const onChange = options.onChange as ((event: ModelEventName, payload: ModelBroadcast<M>) => void) | undefined;
    reactions[modelEventName(options.model, event, options.broadcastAs)] = onChange
      ? { ...reaction, onEvent: (p: ModelBroadcast<M>) => (reaction.onEvent?.(p), onChange(event, p)) }
      : reaction;
  }
  return reactions;
}

function hasModel(payload: ModelBroadcast<object> | null | undefined): boolean {
  return typeof payload?.model === 'object' && payload.model !== null;
}

/** The broadcast attributes over the cached object (which may hold relations the broadcast lacks). */
function mergeModel(model: object, previous: unknown): unknown {
  return previous && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous, ...model } : model;
}

function noop(): void {}
