/**
 * What a successful call's result says about the response it was read from.
 *
 * Every result object (sessions, detection arrays, settings, tokens, session images) has a
 * **non-enumerable**, read-only `requestId`: it does not show in `JSON.stringify`, object spread,
 * `util.inspect` or deep-equality checks, so sending a session to the front end or comparing
 * results is unchanged, while `result.requestId` is there for logs and support requests. This is
 * the convention of the Azure SDK's `@azure/core-client` (`_response`, non-enumerable), with
 * the name `FaceRestError` uses for the same header. Deletes resolve with an object holding only
 * `requestId` (an ordinary property).
 */
export interface FaceResponseMetadata {
  /** The `apim-request-id` response header, to quote in support requests; absent when not sent. */
  readonly requestId?: string;
}

/** A result with its {@link FaceResponseMetadata} (`requestId`, non-enumerable). */
export type WithResponseMetadata<T> = T & FaceResponseMetadata;
