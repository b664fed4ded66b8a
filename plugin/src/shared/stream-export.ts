/**
 * The export through which a generated stream route offers its channels and options, so that a
 * server can serve the route without Remix's request pipeline (`createLiveStreamHandler`).
 */
export const STREAM_EXPORT = "remixLiveStream";
