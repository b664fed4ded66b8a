import { useLiveStatus } from "remix-live/react";

const LABELS = { connecting: "Connecting…", open: "Live", reconnecting: "Reconnecting…", offline: "Offline" } as const;

/** A small badge that says whether the page is receiving live updates. */
export function LiveStatus() {
  const status = useLiveStatus();
  return (
    <span role="status" aria-label="Live updates" className={`live-status live-status-${status}`}>
      {LABELS[status]}
    </span>
  );
}
