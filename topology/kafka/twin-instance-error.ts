import type { ClientSettings } from './settings';

/**
 * Another live instance with the same app.id and app.instance has taken this one's place: the
 * group coordinator fenced this consumer (static member `group.instance.id`). This instance
 * must stop; nothing it has not committed is kept.
 */
export class TwinInstanceError extends Error {
  override readonly name = 'TwinInstanceError';
  constructor(settings: ClientSettings) {
    super(
      `another live instance with app.id ${settings.appId} and app.instance ${settings.instance} has taken this one's place ` +
        `(the group coordinator fenced this consumer, static member ${settings.appId}-${settings.instance}); this instance stops. ` +
        'Give every live instance its own app.instance.',
    );
  }
}
