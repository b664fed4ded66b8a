/**
 * Reads `body` to its end in the background. The returned function says how it ended: "ended"
 * (the server ended the response), the error that cut it off, or undefined while it is open.
 */
export function watchEnd(body: ReadableStreamDefaultReader<Uint8Array>): () => string | undefined {
  let end: string | undefined;
  void (async () => {
    try {
      while (!(await body.read()).done);
      end = "ended";
    } catch (error) {
      end = String((error as { cause?: unknown }).cause ?? error);
    }
  })();
  return () => end;
}
