/**
 * One EventSource per stream URL in a page, shared by every hook that follows it.
 *
 * The browser reconnects a dropped EventSource by itself, but events sent while it was away are
 * gone; an invalidation is idempotent, so followers are told once when the stream comes back.
 * A stream the server refused (not an event stream, an error status) is closed for good by the
 * browser; it is retried here with a growing delay.
 */
type Listener = () => void;

interface Stream {
  source: EventSource | null;
  listeners: Set<Listener>;
  /** The stream was open before and dropped: the next `open` means events may have been missed. */
  dropped: boolean;
  retryDelay: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
}

const streams = new Map<string, Stream>();
const FIRST_RETRY_DELAY = 1_000;
const MAX_RETRY_DELAY = 30_000;

/** Calls `onInvalidate` for each event on `url` (and once after a reconnect); returns an unsubscribe function. */
export function followStream(url: string, onInvalidate: Listener): () => void {
  let stream = streams.get(url);
  if (!stream) {
    stream = { source: null, listeners: new Set(), dropped: false, retryDelay: FIRST_RETRY_DELAY, retryTimer: undefined };
    streams.set(url, stream);
    open(url, stream);
  }
  // A fresh function per call: two followers passing the same callback must not share one slot.
  const listener = () => onInvalidate();
  stream.listeners.add(listener);
  const current = stream;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size > 0) return;
    streams.delete(url);
    clearTimeout(current.retryTimer);
    current.source?.close();
  };
}

function open(url: string, stream: Stream): void {
  const source = new EventSource(url);
  stream.source = source;
  const notify = () => stream.listeners.forEach((listener) => listener());
  source.addEventListener("message", notify);
  source.addEventListener("open", () => {
    stream.retryDelay = FIRST_RETRY_DELAY;
    if (stream.dropped) {
      stream.dropped = false;
      notify();
    }
  });
  source.addEventListener("error", () => {
    stream.dropped = true;
    if (source.readyState !== EventSource.CLOSED || streams.get(url) !== stream) return;
    stream.retryTimer = setTimeout(() => open(url, stream), stream.retryDelay);
    stream.retryDelay = Math.min(stream.retryDelay * 2, MAX_RETRY_DELAY);
  });
}
