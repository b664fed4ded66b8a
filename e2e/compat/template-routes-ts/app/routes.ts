import { flatRoutes } from "@remix-run/fs-routes";
import { route, type RouteConfig } from "@remix-run/route-config";
import { withLiveRoutes } from "remix-live/routes";

// The chat's module a second time, at another URL, as its own route.
export default withLiveRoutes([...(await flatRoutes()), route("lounge", "routes/chat.tsx", { id: "lounge" })]) satisfies RouteConfig;
