// A process that only emits, as a job or a worker would: it serves no stream and its first call
// into remix-live is emit(). Usage: node emit.mjs "message text"
import { appendFileSync } from "node:fs";
import { closeLive, emit } from "remix-live/server";

appendFileSync(process.env.MESSAGES_FILE ?? "messages.txt", `${process.argv[2]}\n`);
emit("chat");
// Waits for emits still on their way to the broker, then releases the connections.
await closeLive();
