// How often each loader of the rooms pages ran in this process, for the matrix's checks.
const runs = ((globalThis as { __loaderRuns?: Record<string, number> }).__loaderRuns ??= {});

export function countRun(name: string): void {
  runs[name] = (runs[name] ?? 0) + 1;
}

export function loaderRuns(): Record<string, number> {
  return { ...runs };
}
