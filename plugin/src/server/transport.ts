/**
 * How emits travel between processes. The hub keeps one transport subscription per channel
 * that has local streams, however many streams follow it.
 */
export interface Transport {
  /** Called once by the hub with the function that fans a channel's event out to local streams. */
  start(deliver: (channel: string) => void): void;
  /** Sends an event for `channel` to every process, this one included. */
  publish(channel: string): void | Promise<void>;
  /** This process now has streams following `channel`. */
  subscribe(channel: string): void;
  /** This process no longer has streams following `channel`. */
  unsubscribe(channel: string): void;
  /** Releases connections; the hub is not used after this. */
  close(): Promise<void>;
}

/** The default transport: events reach the streams of this process only. */
export function createMemoryTransport(): Transport {
  let deliver: (channel: string) => void = () => {};
  return {
    start(fn) {
      deliver = fn;
    },
    publish(channel) {
      deliver(channel);
    },
    subscribe() {},
    unsubscribe() {},
    async close() {},
  };
}
