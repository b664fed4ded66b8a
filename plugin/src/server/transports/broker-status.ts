/**
 * Logs a broker connection's ups and downs once per change, never once per retry or per emit:
 * an outage of a minute must not write thousands of lines.
 */
export class BrokerStatus {
  #state: "connecting" | "up" | "down" = "connecting";

  readonly name: string;

  /** `broker` names it in log lines ("Redis"), with the URL's password hidden. */
  constructor(broker: string, url: string) {
    this.name = `${broker} at ${redactUrl(url)}`;
  }

  /** Returns whether this is a recovery (the broker was down and is back). */
  connected(): boolean {
    const recovered = this.#state === "down";
    if (recovered) console.warn(`[remix-live] ${this.name} is reachable again; live updates from other processes resume.`);
    this.#state = "up";
    return recovered;
  }

  failed(error: unknown): void {
    if (this.#state === "down") return;
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      this.#state === "connecting"
        ? `[remix-live] cannot reach ${this.name} (${reason}). This process runs on; its emits wait for it, and live updates stay within this process until it is reachable.`
        : `[remix-live] lost ${this.name} (${reason}). Live updates stay within this process until it is back; every open page revalidates then.`,
    );
    this.#state = "down";
  }

  publishFailed(channel: string, error: unknown): void {
    if (this.#state !== "up") return; // The outage is logged already; emits are counted in stats().
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[remix-live] ${this.name} refused emit("${channel}"): ${reason}`);
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
