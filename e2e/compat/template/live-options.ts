/**
 * remix-live's options, as an app sets them: a server started with HEARTBEAT_INTERVAL or
 * MAX_STREAMS runs with that option (the dev server reads them when it starts, a build when it is built).
 */
export const liveOptions = {
  ...(process.env.HEARTBEAT_INTERVAL ? { heartbeatInterval: Number(process.env.HEARTBEAT_INTERVAL) } : {}),
  ...(process.env.MAX_STREAMS ? { maxStreams: Number(process.env.MAX_STREAMS) } : {}),
};
