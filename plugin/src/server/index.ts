export { emit, emitter } from "./emit.js";
export {
  createEventStream,
  DEFAULT_HEARTBEAT_INTERVAL,
  DEFAULT_MAX_STREAMS,
  EVENT_STREAM_HEADERS,
  type EventStreamOptions,
} from "./event-stream.js";
export { serveLiveStream, type LiveArgs, type LiveSource, type ServeLiveStreamOptions } from "./serve-live-stream.js";
export { LiveHub, type LiveStats, type Subscriber } from "./hub.js";
export { createMemoryTransport, type Transport } from "./transport.js";
export { getHub } from "./singleton.js";
