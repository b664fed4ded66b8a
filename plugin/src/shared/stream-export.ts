/**
 * The export through which a generated stream route offers its channels and options, so that a
 * server can serve the route without Remix's request pipeline (`createLiveStreamHandler`).
 */
export const STREAM_EXPORT = "remixLiveStream";

/** The export that marks the generated shared stream route (one connection for every live route). */
export const SHARED_EXPORT = "remixLiveShared";

/** Where the shared stream is served, below the app's basename. */
export const SHARED_STREAM_PATH = "/__remix-live/stream";

/** A generated stream route's id is its live route's id behind this: `remix-live/routes/chat`. */
export const STREAM_ROUTE_ID_PREFIX = "remix-live/";
