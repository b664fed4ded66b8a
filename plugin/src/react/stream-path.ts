/** The URL path of the stream that serves the route matched at `pathname`: `/chat` -> `/chat/stream`. */
export function streamPathFor(pathname: string): string {
  return `${pathname.replace(/\/+$/, "")}/stream`;
}
