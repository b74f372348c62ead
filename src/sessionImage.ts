/**
 * A session image download. The body is streamed: nothing is buffered by the client until you
 * call {@link SessionImage.bytes}. Consume or destroy `readableStreamBody` so the connection is
 * released.
 */
export interface SessionImage {
  /** Content type sent by the service (`application/octet-stream` in v1.2). */
  readonly contentType: string;
  /** Size in bytes, when the service sent `Content-Length`. */
  readonly contentLength?: number;
  /** The image bytes as a Node readable stream. Can be read once. */
  readonly readableStreamBody: NodeJS.ReadableStream;
  /** Reads the whole stream into memory. Can be called once, instead of reading the stream. */
  bytes(): Promise<Uint8Array>;
}
