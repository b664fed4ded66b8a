import { assertChannelName } from "../shared/channel-name.js";
import { encodeEventFrame, HEARTBEAT_FRAME } from "./frames.js";
import { createMemoryTransport, type Transport } from "./transport.js";

/** Something that receives frames: one open event stream. */
export interface Subscriber {
  /** Receives the encoded event for a channel the subscriber follows. */
  event(channel: string, frame: Uint8Array): void;
  /** Receives a heartbeat comment. */
  heartbeat(frame: Uint8Array): void;
  /** Ends the stream: the hub is shutting down. */
  close?(): void;
}

export interface LiveStats {
  /** Open event streams in this process. */
  streams: number;
  /** Streams following each channel that has at least one. */
  channels: Record<string, number>;
  /** Publishes the broker refused since the process started (each is retried until it goes through). */
  failedEmits: number;
  /** Channels whose latest emit waits for the broker: at most one per channel, however many emits. */
  pendingEmits: number;
}

/** How long the hub retries waiting emits at the most between attempts, when the transport does not say it is back. */
const MAX_RETRY_DELAY_MS = 2_000;
const FIRST_RETRY_DELAY_MS = 100;

/**
 * How long the hub remembers a change of a channel that no stream follows (a change is forgotten
 * once it is that old), so that a page whose stream joins after its loaders ran learns whether it
 * missed something (see `lastChange`); a channel a stream follows is remembered as long as it is
 * followed. A broker subscription is kept this long after its last stream leaves, for the same
 * reason: a page that navigates back, or reloads, needs to know what its channels did meanwhile.
 */
export const DEFAULT_MEMORY_MS = 60_000;

export interface LiveHubOptions {
  /** See `DEFAULT_MEMORY_MS`. @default 60000 */
  memoryMs?: number;
}

/**
 * The streams of one heartbeat interval, in slices that take turns: each stream still hears a
 * heartbeat once per interval, but no tick writes to more than a slice of them. At 19,000 streams a
 * write to all of them takes about 300 ms, and an event that came meanwhile waited for it.
 */
const HEARTBEAT_SLICES = 8;
interface HeartbeatGroup {
  timer: ReturnType<typeof setInterval>;
  slices: Set<Subscriber>[];
  /** Streams that ever joined, to deal new ones out in turn. */
  joined: number;
}

/**
 * The process-wide registry of open streams and what they follow.
 *
 * Fan-out stays cheap at any scale: a channel is one Set however many streams follow it, an
 * `emit()` encodes its frame once, and one timer per heartbeat interval serves every stream, a
 * slice of them at a time.
 */
export class LiveHub {
  readonly #channels = new Map<string, Set<Subscriber>>();
  readonly #heartbeats = new Map<number, HeartbeatGroup>();
  #transport: Transport;
  #failedEmits = 0;
  #subscriptions = 0;
  /** Channels whose emit the broker could not take yet, with the latest one's origin; repeats collapse into one. */
  readonly #pending = new Map<string, string | undefined>();
  /** Channels whose waiting emit is being published again right now. */
  readonly #retrying = new Set<string>();
  /** Publishes under way, so that close() can wait for them. */
  readonly #inFlight = new Set<Promise<void>>();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = FIRST_RETRY_DELAY_MS;
  readonly #memoryMs: number;
  /**
   * When each channel last changed, as far as this process heard (or, for a channel that had
   * none it remembers when a stream began to follow it, at most `#forgotten`): kept while the
   * channel is followed or its subscription lingers, else until the change is `#memoryMs` old.
   */
  readonly #changedAt = new Map<string, number>();
  /** Changes up to this moment may have been forgotten; none before this process started are known. */
  #forgotten = performance.timeOrigin;
  /** When the hub last forgot old changes: it does so as it notes new ones, with no timer of its own. */
  #forgotAt = Date.now();
  /** Since when this process has heard every event of a channel (a broker's subscription is active). */
  readonly #hearingSince = new Map<string, number>();
  /** Broker subscriptions kept after their last stream left, each until its timer fires. */
  readonly #lingering = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(transport: Transport = createMemoryTransport(), options: LiveHubOptions = {}) {
    this.#memoryMs = options.memoryMs ?? DEFAULT_MEMORY_MS;
    this.#transport = transport;
    this.#startTransport(transport);
  }

  /**
   * Moves to another transport: the channels local streams follow are subscribed there, the old
   * transport is closed, and every stream is told to revalidate once (events in between are lost).
   */
  async setTransport(transport: Transport): Promise<void> {
    const previous = this.#transport;
    this.#transport = transport;
    this.#startTransport(transport);
    this.#stopLingering();
    this.#hearingSince.clear();
    for (const channel of this.#channels.keys()) this.#subscribeTransport(channel);
    this.resync();
    await previous.close();
  }

  /**
   * Ends every stream and releases the transport's connections. Emits still on their way to the
   * broker, or waiting for it, get up to `flushTimeout` milliseconds to go through first: a script
   * that emits and then closes loses nothing while the broker is reachable.
   */
  async close({ flushTimeout = 5_000 }: { flushTimeout?: number } = {}): Promise<void> {
    this.endStreams();
    await this.#flush(Date.now() + flushTimeout);
    clearTimeout(this.#retryTimer);
    this.#stopLingering();
    if (this.#pending.size > 0) {
      console.error(
        `[remix-live] closing with ${this.#pending.size} emit(s) the broker never took within ${flushTimeout} ms; ` +
          `other processes will not hear them: ${[...this.#pending.keys()].map((channel) => JSON.stringify(channel)).join(", ")}.`,
      );
    }
    await this.#transport.close();
  }

  /** Whether emits reach this process's streams only (no broker: the in-process transport). */
  get local(): boolean {
    return this.#transport.hearsEveryChannel === true;
  }

  /**
   * Ends every open stream and leaves the hub and its transport open: browsers reconnect, resolve
   * their routes' channels anew and catch up on what they missed. The dev server does this when an
   * edit changes a route's `live`, so that open tabs follow what it says now.
   */
  endStreams(): void {
    const subscribers = new Set([...this.#channels.values()].flatMap((followers) => [...followers]));
    for (const subscriber of subscribers) subscriber.close?.();
  }

  /**
   * Tells every local stream that its channels may have changed: after a broker outage, events may
   * have been lost, and since an event only says "revalidate", one per channel makes up for all.
   */
  resync(): void {
    for (const channel of this.#channels.keys()) this.#deliver(channel, undefined);
  }

  /**
   * Tells every stream following `channel`, in every process the transport reaches, that it
   * changed. Never throws for a failing transport or a closed stream; throws a `TypeError` for a
   * malformed channel name, which is a bug in the caller. `origin` names the submission that caused
   * it (see emit-origin.ts).
   */
  emit(channel: string, origin?: string): void {
    assertChannelName(channel, "emit()");
    this.#publish(channel, origin, true);
  }

  /**
   * The latest moment any of `channels` changed, or may have, as far as this process can tell: its
   * last emit heard here; for a channel it does not remember (nobody followed it for `memoryMs`
   * since its last change, or it never changed), the latest change it forgot, or this process's
   * start; with a broker, at least when this process began to hear the channel (now, if it does
   * not yet). A page whose data is older than that may have missed something.
   */
  lastChange(channels: readonly string[]): number {
    const now = Date.now();
    let latest = 0;
    for (const channel of channels) {
      latest = Math.max(latest, this.#changedAt.get(channel) ?? this.#forgotten);
      if (!this.#transport.hearsEveryChannel) latest = Math.max(latest, this.#hearingSince.get(channel) ?? now);
    }
    return latest;
  }

  /** Follows `channels` until the returned function is called. */
  subscribe(channels: readonly string[], subscriber: Subscriber, heartbeatMs: number): () => void {
    for (const channel of channels) {
      let followers = this.#channels.get(channel);
      if (!followers) {
        followers = new Set();
        this.#channels.set(channel, followers);
        // Remembered from now on as long as it is followed: its last change, or a bound on it.
        if (!this.#changedAt.has(channel)) this.#remember(channel, this.#forgotten);
        const lingering = this.#lingering.get(channel);
        if (lingering) {
          clearTimeout(lingering);
          this.#lingering.delete(channel);
        } else this.#subscribeTransport(channel);
      }
      followers.add(subscriber);
    }
    if (heartbeatMs > 0) this.#joinHeartbeat(subscriber, heartbeatMs);
    this.#subscriptions += 1;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#subscriptions -= 1;
      for (const channel of channels) {
        const followers = this.#channels.get(channel);
        if (!followers?.delete(subscriber) || followers.size > 0) continue;
        this.#channels.delete(channel);
        this.#unsubscribeTransport(channel);
      }
      if (heartbeatMs > 0) this.#leaveHeartbeat(subscriber, heartbeatMs);
    };
  }

  /** Open subscriptions (one per stream), counted as they come and go: cheap enough for every request. */
  get streamCount(): number {
    return this.#subscriptions;
  }

  stats(): LiveStats {
    const channels: Record<string, number> = {};
    for (const [channel, followers] of this.#channels) channels[channel] = followers.size;
    return { streams: this.#subscriptions, channels, failedEmits: this.#failedEmits, pendingEmits: this.#pending.size };
  }

  /**
   * Hands `channel` to the transport. When the broker cannot take it, this process's streams get
   * it at once (`fresh`: a new emit, not a retry) and it waits in `#pending` until it goes through.
   */
  #publish(channel: string, origin: string | undefined, fresh: boolean): void {
    const transport = this.#transport;
    const failed = (error: unknown) => {
      if (transport !== this.#transport) return; // A transport replaced meanwhile resynced every stream.
      this.#failedEmits += 1;
      if (transport.describeFailure) transport.describeFailure(channel, error);
      else console.error(`[remix-live] emit("${channel}") failed:`, error);
      if (fresh) this.#deliver(channel, origin);
      // A later emit's origin replaces an earlier one's: the tab it names revalidated after both.
      if (fresh || !this.#pending.has(channel)) this.#pending.set(channel, origin);
      this.#scheduleRetry();
    };
    const succeeded = () => {
      if (fresh) return;
      this.#pending.delete(channel);
      if (this.#pending.size === 0) this.#retryDelay = FIRST_RETRY_DELAY_MS;
    };
    // A retry under way is not started again (by the timer and a transport's ready() at once).
    if (!fresh) this.#retrying.add(channel);
    const settled = () => !fresh && this.#retrying.delete(channel);
    let published: void | Promise<void>;
    try {
      published = transport.publish(channel, origin);
    } catch (error) {
      settled();
      return failed(error);
    }
    if (!published) {
      settled();
      return succeeded();
    }
    const tracked = published.then(succeeded, failed).finally(() => {
      settled();
      this.#inFlight.delete(tracked);
    });
    this.#inFlight.add(tracked);
  }

  /** Publishes every waiting emit again; each stays pending until the broker takes it. */
  #retryPending(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    for (const [channel, origin] of [...this.#pending]) if (!this.#retrying.has(channel)) this.#publish(channel, origin, false);
  }

  #scheduleRetry(): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => this.#retryPending(), this.#retryDelay);
    this.#retryTimer.unref?.();
    this.#retryDelay = Math.min(this.#retryDelay * 2, MAX_RETRY_DELAY_MS);
  }

  /** Waits until no emit is under way or waiting, or until `deadline`. */
  async #flush(deadline: number): Promise<void> {
    while ((this.#inFlight.size > 0 || this.#pending.size > 0) && Date.now() < deadline) {
      const publishing = this.#inFlight.size > 0;
      await waitAtMost(publishing ? Promise.allSettled(this.#inFlight) : null, publishing ? deadline - Date.now() : FIRST_RETRY_DELAY_MS);
      if (!publishing) this.#retryPending();
    }
  }

  /** Subscribes the transport to `channel`, and notes from when on this process hears it. */
  #subscribeTransport(channel: string): void {
    const transport = this.#transport;
    const hearing = transport.subscribe(channel);
    const heard = () => {
      if (transport === this.#transport && (this.#channels.has(channel) || this.#lingering.has(channel))) this.#hearingSince.set(channel, Date.now());
    };
    if (hearing) hearing.then(heard, () => {});
    else heard();
  }

  /** A broker subscription stays a while after its last stream leaves: pages that come back then know what they missed. */
  #unsubscribeTransport(channel: string): void {
    const drop = () => {
      this.#lingering.delete(channel);
      this.#hearingSince.delete(channel);
      this.#transport.unsubscribe(channel);
    };
    if (this.#transport.hearsEveryChannel || this.#memoryMs <= 0) return drop();
    const timer = setTimeout(drop, this.#memoryMs);
    timer.unref?.();
    this.#lingering.set(channel, timer);
  }

  #stopLingering(): void {
    for (const timer of this.#lingering.values()) clearTimeout(timer);
    this.#lingering.clear();
  }

  /**
   * Notes that `channel` changed at `at`. At most once per `#memoryMs`, the changes older than
   * that of channels that no stream follows (nor a lingering subscription) are forgotten.
   */
  #remember(channel: string, at: number): void {
    this.#changedAt.set(channel, at);
    const now = Date.now();
    if (now - this.#forgotAt < Math.max(this.#memoryMs, 1_000)) return;
    this.#forgotAt = now;
    for (const [name, changed] of this.#changedAt) {
      if (changed >= now - this.#memoryMs || this.#channels.has(name) || this.#lingering.has(name)) continue;
      this.#changedAt.delete(name);
      this.#forgotten = Math.max(this.#forgotten, changed);
    }
  }

  /** Hands an event to this process's streams, and notes the change (events come here whether or not a stream follows). */
  #deliver(channel: string, origin: string | undefined): void {
    this.#remember(channel, Date.now());
    const followers = this.#channels.get(channel);
    if (!followers) return;
    const frame = encodeEventFrame(channel, origin);
    for (const follower of followers) {
      try {
        follower.event(channel, frame);
      } catch (error) {
        // One broken subscriber must not keep the event from the others, nor reach emit()'s caller.
        console.error(`[remix-live] a subscriber of "${channel}" threw:`, error);
      }
    }
  }

  #joinHeartbeat(subscriber: Subscriber, intervalMs: number): void {
    let group = this.#heartbeats.get(intervalMs);
    if (!group) {
      const slices = Array.from({ length: HEARTBEAT_SLICES }, () => new Set<Subscriber>());
      let tick = 0;
      const timer = setInterval(() => {
        for (const follower of slices[tick++ % HEARTBEAT_SLICES]!) {
          try {
            follower.heartbeat(HEARTBEAT_FRAME);
          } catch {
            // Streams close themselves on write errors; a custom subscriber's failure is its own.
          }
        }
      }, intervalMs / HEARTBEAT_SLICES);
      // Heartbeats alone must not keep a process alive that is otherwise done.
      timer.unref?.();
      group = { timer, slices, joined: 0 };
      this.#heartbeats.set(intervalMs, group);
    }
    group.slices[group.joined++ % HEARTBEAT_SLICES]!.add(subscriber);
  }

  #leaveHeartbeat(subscriber: Subscriber, intervalMs: number): void {
    const group = this.#heartbeats.get(intervalMs);
    if (!group?.slices.some((slice) => slice.delete(subscriber)) || group.slices.some((slice) => slice.size > 0)) return;
    clearInterval(group.timer);
    this.#heartbeats.delete(intervalMs);
  }

  #startTransport(transport: Transport): void {
    transport.start({
      deliver: (channel, origin) => {
        if (transport === this.#transport) this.#deliver(channel, origin);
      },
      resync: () => {
        if (transport !== this.#transport) return;
        // Every channel is subscribed again: from now on is what this process can vouch for.
        const now = Date.now();
        for (const channel of [...this.#channels.keys(), ...this.#lingering.keys()]) this.#hearingSince.set(channel, now);
        this.resync();
      },
      ready: () => {
        if (transport !== this.#transport) return;
        this.#retryDelay = FIRST_RETRY_DELAY_MS;
        this.#retryPending();
      },
    });
  }
}

/** Resolves when `promise` settles or `ms` have passed, whichever comes first, and leaves no timer behind. */
function waitAtMost(promise: Promise<unknown> | null, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    promise?.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
