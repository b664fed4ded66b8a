import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// The test files wait on sockets, servers and child builds more than on the CPU: at least two run
// at once, even on a two-core machine (where vitest's default would run them one by one).
const workers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    include: ["plugin/src/**/*.test.ts", "plugin/test/**/*.test.ts"],
    pool: "forks",
    // The request-signal test forces garbage collections.
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
    maxWorkers: workers,
    minWorkers: workers,
    testTimeout: 60_000,
  },
});
