import { createClientLogger } from "@azure/logger";

/**
 * The library's logger (`@azure/logger` namespace `azure-face-liveness`). Enable it with
 * `AZURE_LOG_LEVEL=info` (or `setLogLevel`, re-exported by this package). Logs never contain the API key,
 * bearer tokens, session `authToken`s or bodies.
 */
export const logger = createClientLogger("face-liveness");
