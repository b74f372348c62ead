/**
 * A session image download. The body is streamed: nothing is buffered by the client until you
 * call {@link SessionImage.bytes}. Read it one way (`readableStreamBody`, `stream()` or
 * `bytes()`), and consume or destroy it so the connection is released.
 */
export interface SessionImage {
  /** Content type sent by the service (`application/octet-stream` in v1.2). */
  readonly contentType: string;
  /** Size in bytes, when the service sent `Content-Length`. */
  readonly contentLength?: number;
  /**
   * The response headers (e.g. `content-type`, `content-length`, `content-disposition`,
   * `apim-request-id`), without hop-by-hop headers and `set-cookie`: safe to pass on as
   * `new Response(image.stream(), { headers: image.headers })`.
   */
  readonly headers: Headers;
  /** The image bytes as a Node readable stream. Can be read once. */
  readonly readableStreamBody: NodeJS.ReadableStream;
  /**
   * The image bytes as a web `ReadableStream` (for `Request → Response` handlers). Call it once,
   * instead of reading `readableStreamBody` or calling `bytes()`.
   */
  stream(): ReadableStream<Uint8Array>;
  /** Reads the whole stream into memory. Can be called once, instead of reading the stream. */
  bytes(): Promise<Uint8Array>;
}
