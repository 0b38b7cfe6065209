/**
 * Laravel's conventions: model broadcasting (channels, event names, keys), notifications, and
 * Echo options from the environment variables Laravel's starter kits use.
 */
export { echoConfigFromEnv } from './env';
export type { EnvBroadcaster, EnvRecord } from './env';
export { modelChannel, modelClassPath, modelEventName, modelKeyOf, modelReactions } from './models';
export type { ModelBindingOptions, ModelBroadcastAs, ModelEventName } from './models';
export { NOTIFICATION_EVENT } from './notifications';
export type { LaravelNotification, ModelBroadcast } from './notifications';
