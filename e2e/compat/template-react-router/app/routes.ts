import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";
import { withLiveRoutes } from "remix-live/routes";

export default withLiveRoutes(flatRoutes()) satisfies RouteConfig;
