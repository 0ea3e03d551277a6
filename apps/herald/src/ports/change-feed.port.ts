// How the control plane tells edges (and its own in-process edge) that a zone
// changed. It carries a notification, never data: a receiver fetches what
// changed since its serial over HTTP. Adapters: Redis pub/sub between
// processes, in-memory inside the all-in-one process.

/** Published once after every committed change set of a zone. */
export interface ZoneChanged {
  /** Absolute, lowercase, presentation form: `example.com.` */
  zone: string;
  /** The zone's SOA serial after the change (for a deleted zone: its last serial). */
  serial: number;
  /**
   * Set when the zone itself was deleted, so edges drop it instead of asking
   * for changes. A flag rather than a sentinel serial such as -1 keeps
   * `serial` a valid SOA serial in every event.
   */
  deleted?: true;
}

export interface ChangeFeed {
  /**
   * Rejects when the event is not well formed, when the feed is closed, or
   * when the transport fails; a rejected publish was not delivered.
   */
  publish(event: ZoneChanged): Promise<void>;
  /**
   * Calls `listener` for every event published after subscribe resolves, in
   * publish order per publisher; returns an unsubscribe function. A listener
   * that throws (or rejects) is reported and stays subscribed; it never
   * affects the publisher or other listeners.
   */
  subscribe(listener: (event: ZoneChanged) => void): Promise<() => Promise<void>>;
  /** Stops delivery and releases connections. Idempotent. */
  close(): Promise<void>;
}
