import type { QueryClient, QueryKey } from '@tanstack/query-core';
import { toKeyList } from './keys';
import type { ModelBroadcast } from './laravel';
import type { EventReaction, QueryKeys } from './types';

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
  /** Replaces the default reaction to an event, or `false` to ignore it. */
  on?: Partial<Record<ModelEventName, EventReaction<ModelBroadcast<M>> | false>>;
  /** Called after the cache work for every event (a toast, a log). */
  onChange?: (event: ModelEventName, payload: ModelBroadcast<M>) => void;
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
 * The key of the model in a payload: `model[idKey]`, or `model` itself when it is the key (Laravel
 * sends only the key for `deleted` on models without `SoftDeletes`).
 */
export function modelKeyOf(payload: ModelBroadcast<object> | null | undefined, idKey: string): string | number | undefined {
  const model = payload?.model as unknown;
  if (typeof model === 'string' || typeof model === 'number') return model;
  const id = (model as Record<string, unknown> | null | undefined)?.[idKey];
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
    const custom = options.on?.[event];
    if (custom === false) continue;
    let reaction: EventReaction<ModelBroadcast<M>>;
    if (custom) reaction = custom;
    else if (event === 'created' || !detailKey) reaction = { invalidate: lists, recover };
    else if (event === 'updated' || event === 'restored') {
      reaction = {
        // Written only when the payload carries the model (not just its key).
        setQueryData: { queryKey: (p) => (typeof p?.model === 'object' && p.model ? detailKey(p) : undefined), updater: (p) => p.model },
        invalidate: lists,
        recover,
      };
    } else {
      reaction = {
        updateCache: (p: ModelBroadcast<M>, qc: QueryClient) => {
          const key = detailKey(p);
          if (!key) return;
          const filters = { queryKey: key, exact: true };
          // A query on screen would keep showing the model: reset it, so it shows what the server
          // says now (a 404, or the trashed model); one nobody shows is simply removed.
          if (qc.getQueryCache().find(filters)?.getObserversCount()) void qc.resetQueries(filters).catch(noop);
          else qc.removeQueries(filters);
        },
        invalidate: lists,
        recover,
      };
    }
    const onChange = options.onChange;
    reactions[modelEventName(options.model, event, options.broadcastAs)] = onChange
      ? { ...reaction, onEvent: (p: ModelBroadcast<M>) => (reaction.onEvent?.(p), onChange(event, p)) }
      : reaction;
  }
  return reactions;
}

function noop(): void {}
