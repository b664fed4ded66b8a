/**
 * How emits travel between processes. The hub keeps one transport subscription per channel
 * that has local streams, however many streams follow it.
 */
export interface TransportHandlers {
  /** Fans an event for `channel` out to this process's streams, with the origin it was published with. */
  deliver(channel: string, origin?: string): void;
  /** Subscriptions were restored after an outage: every local stream should revalidate once. */
  resync(): void;
  /**
   * Publishing works (again): the connection that publishes is up, at start or after an outage.
   * Emits that failed meanwhile are published now; without this call they are retried on a timer.
   */
  ready?(): void;
}

export interface Transport {
  /** Called once by the hub with what the transport reports back. */
  start(handlers: TransportHandlers): void;
  /**
   * Sends an event for `channel` to every process, this one included, with `origin` (the submission
   * that caused it, see emit-origin.ts) when there is one. A rejection (the broker is unreachable)
   * makes the hub deliver it locally at once and publish it again later.
   */
  publish(channel: string, origin?: string): void | Promise<void>;
  /**
   * This process now has streams following `channel`. May return a promise that resolves once
   * the broker delivers the channel's events here: until then the hub assumes it may miss some,
   * and pages that load meanwhile catch up once. A promise that rejects leaves it so until the
   * transport's `resync()` says every channel is subscribed again. Returning nothing means the
   * channel is heard from now on.
   */
  subscribe(channel: string): void | Promise<unknown>;
  /** This process no longer has streams following `channel`. */
  unsubscribe(channel: string): void;
  /** Releases connections; the hub is not used after this. */
  close(): Promise<void>;
  /**
   * Logs a failed publish. Transports log a broker outage once, not once per emit; without this
   * the hub logs each failure.
   */
  describeFailure?(channel: string, error: unknown): void;
  /**
   * Every event reaches this process whether or not it subscribed (the in-process transport): the
   * hub then knows of every change without keeping subscriptions.
   */
  readonly hearsEveryChannel?: boolean;
}

/** The default transport: events reach the streams of this process only. */
export function createMemoryTransport(): Transport {
  let deliver: TransportHandlers["deliver"] = () => {};
  return {
    hearsEveryChannel: true,
    start(handlers) {
      deliver = handlers.deliver;
    },
    publish(channel, origin) {
      deliver(channel, origin);
    },
    subscribe() {},
    unsubscribe() {},
    async close() {},
  };
}
