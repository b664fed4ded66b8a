import { route, type RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";
import { withLiveRoutes } from "remix-live/routes";

// The chat's module a second time, at another URL, as its own route.
export default withLiveRoutes([...(await flatRoutes()), route("lounge", "routes/chat.tsx", { id: "lounge" })]) satisfies RouteConfig;
