/**
 * Loads a broker's client package (`ioredis`, `pg`), which apps install only for the broker they
 * use. When it is missing, one line says what to run, and the transport carries on within this
 * process: a missing package must never fail a request or crash the server.
 */
export async function loadBrokerClient<T>(pkg: "ioredis" | "pg", broker: string, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || (error as { code?: string }).code === "MODULE_NOT_FOUND";
    console.error(
      missing
        ? `[remix-live] ${broker} needs the "${pkg}" package, which is not installed: run \`npm install ${pkg}\`. Live updates stay within this process until then.`
        : `[remix-live] cannot load the "${pkg}" package for ${broker} (${error instanceof Error ? error.message : String(error)}). Live updates stay within this process.`,
    );
    return null;
  }
}
