import type { Redis, RedisOptions } from "ioredis";
import type { Transport, TransportHandlers } from "../transport.js";
import { BrokerStatus } from "./broker-status.js";
import { loadBrokerClient } from "./load-client.js";

export interface RedisTransportOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` */
  url: string;
  /**
   * Prefix of the Redis channels, so that several apps can share one server.
   * @default "remix-live:"
   */
  prefix?: string;
  /** Extra ioredis options for both connections. */
  redis?: RedisOptions;
}

/**
 * Emits travel through Redis PUBLISH/SUBSCRIBE. Two connections: one subscribed to the channels
 * this process's streams follow (one SUBSCRIBE per channel, however many streams), one to publish.
 * ioredis reconnects by itself; when the subscriber connection comes back, the channels are
 * subscribed again and every local stream revalidates once, since events may have been missed.
 * Publishing never queues inside ioredis: while the publishing connection is down a publish fails
 * at once, the hub delivers it locally and keeps it (one per channel) until `ready()` says
 * publishing works again.
 */
export function createRedisTransport(options: RedisTransportOptions | string): Transport {
  const { url, prefix = "remix-live:", redis: extra = {} } = typeof options === "string" ? { url: options } : options;
  const status = new BrokerStatus("Redis", url);
  const channels = new Set<string>();
  let handlers: TransportHandlers | undefined;
  let closed = false;
  /** Resolves once the subscriber connection is (back) up with every channel subscribed. */
  let restored = () => {};
  let nextRestore = new Promise<void>((resolve) => (restored = resolve));

  // ioredis is loaded only here, so apps that do not use Redis never need it installed.
  const connections = loadBrokerClient("ioredis", status.name, () => import("ioredis")).then((client) => {
    if (!client) return null;
    const { Redis } = client;
    const common: RedisOptions = {
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      ...extra,
    };
    const subscriber = new Redis(url, { ...common, autoResubscribe: false, lazyConnect: true });
    const publisher = new Redis(url, { ...common, enableOfflineQueue: false, lazyConnect: true });
    // The message is the emit's origin, or empty.
    subscriber.on("message", (redisChannel: string, origin: string) => {
      if (redisChannel.startsWith(prefix)) handlers?.deliver(redisChannel.slice(prefix.length), origin || undefined);
    });
    subscriber.on("ready", () => {
      const recovered = status.connected();
      // Subscribe again to everything followed now; only then can missed events be made up for.
      const names = [...channels].map((channel) => prefix + channel);
      const restoring = names.length ? subscriber.subscribe(...names) : Promise.resolve();
      restoring.then(
        () => {
          const done = restored;
          nextRestore = new Promise<void>((resolve) => (restored = resolve));
          done();
          if (recovered) handlers?.resync();
        },
        (error: unknown) => status.failed(error),
      );
    });
    subscriber.on("error", (error: unknown) => status.failed(error));
    subscriber.on("close", () => {
      if (!closed) status.failed(new Error("connection closed"));
    });
    // The subscriber's status speaks for both; errors here would only repeat it.
    publisher.on("error", () => {});
    publisher.on("ready", () => handlers?.ready?.());
    subscriber.connect().catch(() => {});
    publisher.connect().catch(() => {});
    return { subscriber, publisher };
  });

  const withConnections = (use: (connections: { subscriber: Redis; publisher: Redis }) => unknown) =>
    connections.then((opened) => opened && use(opened)).catch((error: unknown) => status.failed(error));

  return {
    start(next) {
      handlers = next;
    },
    async publish(channel, origin) {
      const opened = await connections;
      // Without its client package the transport serves this process only.
      if (!opened) return handlers?.deliver(channel, origin);
      await opened.publisher.publish(prefix + channel, origin ?? "");
    },
    subscribe(channel) {
      channels.add(channel);
      // Settles once Redis delivers the channel here: now if connected, else once it (re)connects.
      return connections.then((opened) => {
        if (!opened) return; // Without its client package the transport serves this process only.
        if (opened.subscriber.status !== "ready") return nextRestore;
        return opened.subscriber.subscribe(prefix + channel).catch((error: unknown) => {
          status.failed(error);
          throw error;
        });
      });
    },
    unsubscribe(channel) {
      channels.delete(channel);
      void withConnections(({ subscriber }) => subscriber.status === "ready" && subscriber.unsubscribe(prefix + channel));
    },
    async close() {
      closed = true;
      const opened = await connections.catch(() => null);
      opened?.subscriber.disconnect();
      opened?.publisher.disconnect();
    },
    describeFailure: (channel, error) => status.publishFailed(channel, error),
  };
}
