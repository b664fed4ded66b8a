import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["plugin/src/**/*.test.ts", "plugin/test/**/*.test.ts"],
    pool: "forks",
    // The request-signal test forces garbage collections.
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
    testTimeout: 60_000,
  },
});
