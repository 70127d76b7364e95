import type { EventName, EventPayload } from '../../../src-shared/desktop/contract.js';

/** Desktop API events from the services to whichever transport carries them. */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  subscribe<E extends EventName>(
    event: E,
    listener: (payload: EventPayload<E>) => void,
  ): () => void;
}

export function createEventHub(onListenerError: (error: unknown) => void): EventHub {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        // One failing listener (a closed socket) must not stop the others.
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      // The returned function removes exactly this subscription (no re-wrapped closures).
      return () => void set.delete(entry);
    },
  };
}
