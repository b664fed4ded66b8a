import { createHash } from "node:crypto";
import type { Client, Pool } from "pg";
import type { Transport, TransportHandlers } from "../transport.js";
import { BrokerStatus } from "./broker-status.js";
import { loadBrokerClient } from "./load-client.js";

export interface PostgresTransportOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /**
   * Prefix of the NOTIFY channels, so that several apps can share one database.
   * @default "remix-live:"
   */
  prefix?: string;
}

/** PostgreSQL's limit on identifiers, NOTIFY channels included (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_BYTES = 63;
const MAX_RECONNECT_DELAY = 5_000;

/**
 * Emits travel through PostgreSQL LISTEN/NOTIFY. One dedicated connection LISTENs to the channels
 * this process's streams follow (one LISTEN per channel, however many streams); emits go through
 * a small pool. The payload is the channel name alone, far below NOTIFY's 8000-byte limit.
 *
 * A channel name that PostgreSQL cannot carry as a NOTIFY channel (longer than 63 bytes with the
 * prefix) is encoded as a hash of it; the payload still names the channel. The listening
 * connection is re-opened after an outage, with growing delays, and then every local stream
 * revalidates once.
 */
export function createPostgresTransport(options: PostgresTransportOptions | string): Transport {
  const { url, prefix = "remix-live:" } = typeof options === "string" ? { url: options } : options;
  const status = new BrokerStatus("PostgreSQL", url);
  const channels = new Set<string>();
  let handlers: TransportHandlers | undefined;
  let listener: Client | null = null;
  let reconnectDelay = 250;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  /** Resolves once the listening connection is (back) up with every channel listened to. */
  let listened = () => {};
  let nextListen = new Promise<void>((resolve) => (listened = resolve));

  const identifier = (channel: string) => {
    const plain = prefix + channel;
    if (Buffer.byteLength(plain) <= MAX_IDENTIFIER_BYTES) return plain;
    return `${prefix}#${createHash("sha256").update(channel).digest("base64url").slice(0, 40)}`;
  };
  const quoted = (channel: string) => `"${identifier(channel).replaceAll('"', '""')}"`;

  // pg is loaded only here, so apps that do not use PostgreSQL never need it installed.
  const pg = loadBrokerClient("pg", status.name, () => import("pg")).then((module) => module && (module.default ?? module));
  const pool: Promise<Pool | null> = pg.then((client) => {
    if (!client) return null;
    const created = new client.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 2_000 });
    created.on("error", () => {}); // Idle clients that die are replaced; the listener reports outages.
    return created;
  });

  const connect = async (): Promise<void> => {
    const loaded = await pg;
    // Without its client package the transport serves this process only, which hears all it emits.
    if (!loaded) listened();
    if (closed || !loaded) return;
    const client = new loaded.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    const drop = (error: unknown) => {
      if (listener !== client) return;
      listener = null;
      client.removeAllListeners("notification");
      client.end().catch(() => {});
      if (closed) return;
      status.failed(error);
      scheduleReconnect();
    };
    client.on("error", drop);
    client.on("end", () => drop(new Error("connection ended")));
    // The payload is the channel's name (the NOTIFY identifier may be a hash of it), then the emit's origin if any.
    client.on("notification", (message) => {
      const [channel, origin] = (message.payload ?? "").split(" ");
      if (channel && channels.has(channel)) handlers?.deliver(channel, origin || undefined);
    });
    try {
      await client.connect();
      // close() ran while this connection was opening: it could not end it then, so end it now.
      if (closed) {
        client.end().catch(() => {});
        return;
      }
      listener = client;
      for (const channel of channels) await client.query(`LISTEN ${quoted(channel)}`);
    } catch (error) {
      listener = null;
      client.end().catch(() => {});
      status.failed(error);
      scheduleReconnect();
      return;
    }
    reconnectDelay = 250;
    const done = listened;
    nextListen = new Promise<void>((resolve) => (listened = resolve));
    done();
    if (status.connected()) handlers?.resync();
    // The pool connects on demand: the database being reachable again is the sign to publish.
    handlers?.ready?.();
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, reconnectDelay);
    reconnectTimer.unref?.();
    reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_DELAY);
  };

  /** Runs a LISTEN or UNLISTEN on the listening connection; settles once it did (or, while that is down, once it is back). */
  const command = (sql: string): Promise<unknown> => {
    if (!listener) return nextListen;
    return listener.query(sql).catch((error: unknown) => {
      // A LISTEN or UNLISTEN cut short by close() is no outage.
      if (!closed) status.failed(error);
      throw error;
    });
  };

  void connect();

  return {
    start(next) {
      handlers = next;
    },
    async publish(channel, origin) {
      const publisher = await pool;
      // Without its client package the transport serves this process only.
      if (!publisher) return handlers?.deliver(channel, origin);
      await publisher.query("SELECT pg_notify($1, $2)", [identifier(channel), origin ? `${channel} ${origin}` : channel]);
    },
    subscribe(channel) {
      channels.add(channel);
      return command(`LISTEN ${quoted(channel)}`);
    },
    unsubscribe(channel) {
      channels.delete(channel);
      command(`UNLISTEN ${quoted(channel)}`).catch(() => {});
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      const client = listener;
      listener = null;
      await Promise.allSettled([client?.end(), pool.then((created) => created?.end())]);
    },
    describeFailure: (channel, error) => status.publishFailed(channel, error),
  };
}
