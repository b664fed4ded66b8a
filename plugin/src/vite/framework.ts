import type { PluginOption, UserConfig } from "vite";

/** The router framework whose Vite plugin the app uses. */
export type Framework = "remix" | "react-router";

/** Finds `remix()` or `reactRouter()` among the app's Vite plugins (nested arrays included); Remix when neither is there. */
export async function detectFramework(config: UserConfig): Promise<Framework> {
  const names: string[] = [];
  const visit = async (option: PluginOption | Promise<PluginOption>): Promise<void> => {
    const resolved = await option;
    if (Array.isArray(resolved)) for (const item of resolved) await visit(item);
    else if (resolved && typeof resolved === "object" && "name" in resolved) names.push(resolved.name);
  };
  for (const option of config.plugins ?? []) await visit(option);
  return names.includes("react-router") ? "react-router" : "remix";
}

/**
 * Where the client runtime comes from: `remix-live/react` imports its hooks from `@remix-run/react`,
 * and `remix-live/react-router` is the same runtime importing them from `react-router`. In a React
 * Router app, `remix-live/react` (in the app's code and in what the plugin injects) is the latter.
 */
export function runtimeModule(framework: Framework): string {
  return framework === "react-router" ? "remix-live/react-router" : "remix-live/react";
}
