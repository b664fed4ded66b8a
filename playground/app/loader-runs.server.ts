// Counts loader runs per key, so the e2e tests can tell which tabs re-ran their loaders after an
// emit by asking the server instead of waiting and hoping.
const holder = globalThis as { __loaderRuns?: Map<string, number> };
const runs = (holder.__loaderRuns ??= new Map());

export function countLoaderRun(key: string): void {
  runs.set(key, (runs.get(key) ?? 0) + 1);
}

export function loaderRuns(): Record<string, number> {
  return Object.fromEntries(runs);
}
