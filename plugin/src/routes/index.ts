export { withLiveRoutes, type LiveRouteConfigEntry } from "./with-live-routes.js";
