import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import { isKeyCredential, isTokenCredential } from "@azure/core-auth";
import type { Pipeline } from "@azure/core-rest-pipeline";
import { bearerTokenAuthenticationPolicy, createPipelineFromOptions } from "@azure/core-rest-pipeline";
import { logger } from "../logger.js";
import type { FaceSessionClientOptions } from "../options.js";
import {
  LOGGABLE_HEADERS,
  LOGGABLE_QUERY_PARAMETERS,
  MAX_TIMER_DELAY_IN_MS,
  PACKAGE_NAME,
  SDK_VERSION,
} from "../internal/constants.js";
import type { KnownSecrets } from "../internal/knownSecrets.js";
import { checkInteger, checkNumber } from "../internal/validation.js";
import { scopeForAudience } from "../internal/audience.js";
import { attemptPolicy } from "./policies/attemptPolicy.js";
import { createRetryPolicy } from "./policies/createRetryPolicy.js";
import { keyCredentialPolicy } from "./policies/keyCredentialPolicy.js";
import { knownSecretsPolicy } from "./policies/knownSecretsPolicy.js";
import { readRetryPolicy } from "./policies/readRetryPolicy.js";
import { scrubbingLogger } from "./scrubbingLogger.js";

/** The two pipelines of a client: they differ only in their retry profile. */
export interface FacePipelines {
  /** Reads, deletes, detect and settings: retried on every transient failure (idempotent operations). */
  readonly read: Pipeline;
  /** Session creation: retried only when the service cannot have created a session. */
  readonly create: Pipeline;
}

/**
 * Builds the client's pipelines once, at construction: core's policies from `options`
 * (user agent with the SDK's name, logging with the allow-listed headers and query parameters),
 * the credential's policy (key to `origin` only, or Entra bearer tokens), the per-attempt
 * policy, the policy that learns each attempt's credential into `secrets` (scrubbed from log
 * lines and errors), and the two retry profiles.
 *
 * @throws TypeError when `credential` is neither a `KeyCredential` nor a `TokenCredential`;
 * RangeError when a retry option is out of range.
 */
export function createFacePipelines(
  credential: KeyCredential | TokenCredential,
  origin: string,
  options: FaceSessionClientOptions,
  secrets: KnownSecrets,
): FacePipelines {
  checkInteger("retryOptions.maxRetries", options.retryOptions?.maxRetries, 0, 100);
  checkNumber("retryOptions.retryDelayInMs", options.retryOptions?.retryDelayInMs, 0, MAX_TIMER_DELAY_IN_MS);
  checkNumber("retryOptions.maxRetryDelayInMs", options.retryOptions?.maxRetryDelayInMs, 0, MAX_TIMER_DELAY_IN_MS);
  const scope = scopeForAudience(options.audience);
  const prefix = options.userAgentOptions?.userAgentPrefix;
  const sdkAgent = `azsdk-js-${PACKAGE_NAME}/${SDK_VERSION}`;
  const read = createPipelineFromOptions({
    ...options,
    userAgentOptions: { userAgentPrefix: prefix ? `${prefix} ${sdkAgent}` : sdkAgent },
    loggingOptions: {
      logger: scrubbingLogger(secrets, logger.info),
      additionalAllowedHeaderNames: [...LOGGABLE_HEADERS, ...(options.loggingOptions?.additionalAllowedHeaderNames ?? [])],
      additionalAllowedQueryParameters: [
        ...LOGGABLE_QUERY_PARAMETERS,
        ...(options.loggingOptions?.additionalAllowedQueryParameters ?? []),
      ],
    },
  });
  if (isTokenCredential(credential)) {
    read.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
  } else if (isKeyCredential(credential)) {
    read.addPolicy(keyCredentialPolicy(credential, origin), { phase: "Sign" });
  } else {
    throw new TypeError(
      "credential must be a KeyCredential (e.g. new AzureKeyCredential(key)) or a TokenCredential (e.g. new DefaultAzureCredential()).",
    );
  }
  // Policies that cost time on every request and do nothing here: the client never sends a
  // `formData` body, and asking for compressed responses buys nothing for small JSON and
  // already-compressed images.
  read.removePolicy({ name: "formDataPolicy" });
  read.removePolicy({ name: "decompressResponsePolicy" });
  // Each operation makes one client span itself (see sendOperation); a second span per HTTP
  // attempt cost about a tenth of the client's CPU per request in the benchmark.
  read.removePolicy({ name: "tracingPolicy" });
  read.removePolicy({ phase: "Retry" });
  read.addPolicy(readRetryPolicy(options.retryOptions), { phase: "Retry" });
  read.addPolicy(attemptPolicy(), { afterPhase: "Retry" });
  read.addPolicy(knownSecretsPolicy(secrets), { afterPhase: "Sign" });
  const create = read.clone();
  create.removePolicy({ phase: "Retry" });
  create.addPolicy(createRetryPolicy(options.retryOptions), { phase: "Retry" });
  return { read, create };
}
