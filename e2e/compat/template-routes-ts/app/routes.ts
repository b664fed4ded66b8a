import { flatRoutes } from "@remix-run/fs-routes";
import type { RouteConfig } from "@remix-run/route-config";
import { withLiveRoutes } from "remix-live/routes";

export default withLiveRoutes(flatRoutes()) satisfies RouteConfig;
