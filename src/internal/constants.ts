/** Package name, used in the user agent and for tracing. */
export const PACKAGE_NAME = "azure-face-liveness";
/** Package version; a test keeps it equal to package.json. */
export const SDK_VERSION = "1.0.0-beta.1";
/** API versions this client models, newest GA first. */
export const SUPPORTED_API_VERSIONS = ["v1.2", "v1.3-preview.1"] as const;
/** The preview version that adds attempts control, user correlation, client IP and abuse monitoring. */
export const PREVIEW_API_VERSION = "v1.3-preview.1";
/** Default API version. */
export const DEFAULT_API_VERSION = "v1.2";
/** Largest verify image accepted (the service's documented image limit). */
export const MAX_VERIFY_IMAGE_BYTES = 6 * 1024 * 1024;
/** Response headers that are safe to log. */
export const LOGGABLE_HEADERS = ["apim-request-id", "x-ms-error-code", "x-envoy-upstream-service-time", "ocp-apim-trace-location"];
/** Query parameters that are safe to log (none carries a secret). */
export const LOGGABLE_QUERY_PARAMETERS = [
  "detectionModel",
  "recognitionModel",
  "returnFaceId",
  "returnFaceAttributes",
  "returnFaceLandmarks",
  "returnRecognitionModel",
  "faceIdTimeToLive",
];
/** Largest delay Node's timers accept (2^31 - 1 ms); bounds every timeout and interval option. */
export const MAX_TIMER_DELAY_IN_MS = 2_147_483_647;
