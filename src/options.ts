import type { FaceAudience } from "./models/audience.js";
import type { AbortSignalLike } from "@azure/abort-controller";
import type { OperationTracingOptions } from "@azure/core-tracing";
import type { HttpClient, PipelineOptions, PipelineResponse } from "@azure/core-rest-pipeline";
import type { DetectionModel, FaceAttributeType, RecognitionModel } from "./models/knownValues.js";
import type { SessionImage } from "./sessionImage.js";

/**
 * API versions this client models: `"v1.2"` (GA, the default) and `"v1.3-preview.1"` (adds
 * attempts control, user correlation, expected client IP, abuse monitoring, settings and the
 * client-assets token).
 */
export type FaceApiVersion = "v1.2" | "v1.3-preview.1";

/** Options for {@link FaceSessionClient}. */
export interface FaceSessionClientOptions extends PipelineOptions {
  /** The service API version, a path segment of every URL. Default `"v1.2"`. */
  apiVersion?: FaceApiVersion;
  /**
   * The Microsoft Entra ID audience to request tokens for (scope `<audience>/.default`), for
   * a `TokenCredential`: {@link KnownFaceAudience} has the public and sovereign clouds'.
   * Default: the public cloud, `https://cognitiveservices.azure.com`. Ignored for API keys.
   */
  audience?: FaceAudience;
  /**
   * Allow a plain `http://` endpoint on a host that is not loopback, such as an emulator
   * container (`http://face-emulator:8080` in docker-compose). Default false: `http://` is
   * accepted only for localhost, 127.0.0.0/8 and [::1]. The key is then sent unencrypted, and
   * bearer tokens (Entra ID) are never sent over `http://`: use the emulator's `--tls` for them.
   */
  allowInsecureConnection?: boolean;
  /**
   * The HTTP client that sends requests; defaults to the client's own node:http(s) transport,
   * which applies {@link FaceSessionClientOptions.limits}. A seam for tests and custom transports
   * (a custom client applies `request.timeout` its own way and is not bounded by `limits`).
   */
  httpClient?: HttpClient;
  /** Timeouts and size caps, all on by default; see {@link FaceClientLimits}. */
  limits?: FaceClientLimits;
  /** Logging: names of extra headers and query parameters that are safe to log unredacted. */
  loggingOptions?: {
    /** Header names logged unredacted (and readable on errors), in addition to the defaults and `apim-request-id`. */
    additionalAllowedHeaderNames?: string[];
    /** Query parameter names logged unredacted, in addition to the detect options. */
    additionalAllowedQueryParameters?: string[];
  };
}

/**
 * Bounds on every request, on by default. Past a size cap the call fails with a `RestError` of
 * code `RESPONSE_TOO_LARGE` and the connection is closed; past a timeout, with code `ETIMEDOUT`.
 */
export interface FaceClientLimits {
  /**
   * Default time allowed for each HTTP attempt, in ms: connection, head and the whole body
   * (a streamed session image too). `requestOptions.timeout` overrides it per operation.
   * Default 60000 (one minute); 0 means none.
   */
  requestTimeoutInMs?: number;
  /** Longest wait for the next bytes of a response (head or body), in ms. Default 30000; 0 means none. */
  idleTimeoutInMs?: number;
  /**
   * Largest JSON response body read into memory, in bytes (after decompression). Session and
   * detect bodies are a few KB. Default 16 MiB (16777216), at most 256 MiB.
   */
  maxResponseBodyBytes?: number;
  /** Largest session image {@link SessionImage.bytes} reads into memory, in bytes. Default 16 MiB. */
  maxSessionImageBytes?: number;
}

/** Per-request HTTP options. */
export interface FaceRequestOptions {
  /**
   * Milliseconds each HTTP attempt may take, connection to the last body byte (streamed bodies
   * included), before it fails with a `RestError` of code `ETIMEDOUT` (reads are then retried).
   * Default: `limits.requestTimeoutInMs` of the client (60000); 0 means none.
   */
  timeout?: number;
  /** Extra headers sent with the request. They cannot replace the authentication header. */
  customHeaders?: Record<string, string>;
}

/** Options every operation accepts. */
export interface FaceOperationOptions {
  /** Signal that cancels the operation; it rejects with an `AbortError`. */
  abortSignal?: AbortSignalLike;
  /** Per-request HTTP options. */
  requestOptions?: FaceRequestOptions;
  /** Tracing context for the operation's span. */
  tracingOptions?: OperationTracingOptions;
  /**
   * Called with the raw HTTP response (and the deserialized value, for successes) before the
   * operation returns or throws. Beware: a raw session response body holds the `authToken`.
   */
  onResponse?: (rawResponse: PipelineResponse, flatResponse?: unknown) => void;
}

/** Options for {@link FaceSessionClient.createLivenessSession}. */
export interface CreateLivenessSessionOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.getLivenessSessionResult}. */
export interface GetLivenessSessionResultOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.deleteLivenessSession}. */
export interface DeleteLivenessSessionOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.createLivenessWithVerifySession}. */
export interface CreateLivenessWithVerifySessionOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.getLivenessWithVerifySessionResult}. */
export interface GetLivenessWithVerifySessionResultOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.deleteLivenessWithVerifySession}. */
export interface DeleteLivenessWithVerifySessionOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.getSessionImage}. */
export interface GetSessionImageOptions extends FaceOperationOptions {}

/** Options for {@link FaceSessionClient.getSettings}. */
export interface GetSettingsOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.updateSettings}. */
export interface UpdateSettingsOptions extends FaceOperationOptions {}
/** Options for {@link FaceSessionClient.getClientAssetsAccessToken}. */
export interface GetClientAssetsAccessTokenOptions extends FaceOperationOptions {}

/** Options for {@link FaceSessionClient.detectFromSessionImage}. */
export interface DetectFromSessionImageOptions extends FaceOperationOptions {
  /** Detection model; the service default is `detection_01`. */
  detectionModel?: DetectionModel;
  /** Recognition model; the service default is `recognition_01`. */
  recognitionModel?: RecognitionModel;
  /**
   * Return a `faceId` for each face. Needs Limited Access approval on the resource, so this
   * client sends `false` unless you set it (the service itself defaults to `true`).
   */
  returnFaceId?: boolean;
  /** Face attributes to return; sent comma-separated. */
  returnFaceAttributes?: readonly FaceAttributeType[];
  /** Return the 27 face landmarks. */
  returnFaceLandmarks?: boolean;
  /** Return the recognition model with each face (only with `returnFaceId`). */
  returnRecognitionModel?: boolean;
  /** Seconds the returned face ids stay valid, an integer from 60 to 86400. */
  faceIdTimeToLive?: number;
}
