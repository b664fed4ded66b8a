export { emit, emitter } from "./emit.js";
export { withEmitOrigin } from "./emit-origin.js";
export {
  createEventStream,
  DEFAULT_HEARTBEAT_INTERVAL,
  DEFAULT_MAX_STREAMS,
  EVENT_STREAM_HEADERS,
  refuseStreamMethod,
  type EventStreamOptions,
} from "./event-stream.js";
export { createLiveStreamHandler, type LiveStreamHandlerOptions, type ServerBuildRoutes } from "./live-stream-handler.js";
export { writeEventStream } from "./node-event-stream.js";
export { resolveChannels, type ResolvedChannels, serveLiveStream, type LiveArgs, type LiveSource, type ServeLiveStreamOptions } from "./serve-live-stream.js";
export { serveSharedStream, type SharedStreamExport } from "./shared-stream.js";
export { LiveHub, type LiveStats, type Subscriber } from "./hub.js";
export { createMemoryTransport, type Transport, type TransportHandlers } from "./transport.js";
export { createRedisTransport, type RedisTransportOptions } from "./transports/redis.js";
export { createPostgresTransport, type PostgresTransportOptions } from "./transports/postgres.js";
export { createTransportFromUrl } from "./transports/from-url.js";
export { closeLive, configureLive, getHub, type LiveConfig } from "./singleton.js";
