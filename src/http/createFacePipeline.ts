import type { KeyCredential, TokenCredential } from "@azure/core-auth";
import { isKeyCredential, isTokenCredential } from "@azure/core-auth";
import type { Agent as HttpAgent } from "node:http";
import type { Pipeline } from "@azure/core-rest-pipeline";
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  multipartPolicy,
  redirectPolicy,
  setClientRequestIdPolicy,
  userAgentPolicy,
} from "@azure/core-rest-pipeline";
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
import type { ServiceEndpoint } from "../internal/endpoint.js";
import { checkInteger, checkNumber } from "../internal/validation.js";
import { scopeForAudience } from "../internal/audience.js";
import { resolveLimits } from "./limits.js";
import { createFaceHttpClient } from "./faceHttpClient.js";
import type { OperationContext } from "./sendOperation.js";
import { createOperationTracing } from "./sendOperation.js";
import { faceLogPolicy } from "./policies/logPolicy.js";
import { createErrorRedaction } from "./redactError.js";
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
 * Builds the client's pipelines once, at construction, from core's policies: user agent (with the
 * SDK's name), client request id, multipart bodies, the read retries, redirects, and our log
 * policy (allow-listed headers and query parameters); then the credential's policy (key to
 * `origin` only, or Entra bearer tokens), the per-attempt policy, the policy that learns each
 * attempt's credential into `secrets` (scrubbed from log lines and errors), and the two retry
 * profiles.
 *
 * core's `createPipelineFromOptions` is not used: its proxy, agent and TLS policies put agents
 * on requests (which core's log policy then serializes, sockets and raw heads included) and pull
 * in proxy-agent packages that break ESM bundles. The transport takes those options instead
 * (see {@link createOperationContext}); its formData, decompression and per-attempt tracing
 * policies did nothing here but cost time on every request.
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
  const read = createEmptyPipeline();
  read.addPolicy(userAgentPolicy({ userAgentPrefix: prefix ? `${prefix} ${sdkAgent}` : sdkAgent }));
  read.addPolicy(setClientRequestIdPolicy(options.telemetryOptions?.clientRequestIdHeaderName));
  read.addPolicy(multipartPolicy(), { afterPhase: "Deserialize" });
  read.addPolicy(readRetryPolicy(options.retryOptions), { phase: "Retry" });
  read.addPolicy(redirectPolicy(options.redirectOptions), { afterPhase: "Retry" });
  read.addPolicy(
    faceLogPolicy({
      logger: scrubbingLogger(secrets, logger.info),
      additionalAllowedHeaderNames: [...LOGGABLE_HEADERS, ...(options.loggingOptions?.additionalAllowedHeaderNames ?? [])],
      additionalAllowedQueryParameters: [
        ...LOGGABLE_QUERY_PARAMETERS,
        ...(options.loggingOptions?.additionalAllowedQueryParameters ?? []),
      ],
    }),
    { afterPhase: "Sign" },
  );
  if (isTokenCredential(credential)) {
    read.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
  } else if (isKeyCredential(credential)) {
    read.addPolicy(keyCredentialPolicy(credential, origin), { phase: "Sign" });
  } else {
    throw new TypeError(
      "credential must be a KeyCredential (e.g. new AzureKeyCredential(key)) or a TokenCredential (e.g. new DefaultAzureCredential()).",
    );
  }
  read.addPolicy(attemptPolicy(), { afterPhase: "Retry" });
  read.addPolicy(knownSecretsPolicy(secrets), { afterPhase: "Sign" });
  const create = read.clone();
  create.removePolicy({ phase: "Retry" });
  create.addPolicy(createRetryPolicy(options.retryOptions), { phase: "Retry" });
  return { read, create };
}

/**
 * Everything a client sends through: its pipelines, the limits, and the transport (ours, unless
 * `options.httpClient` is given), which takes `agent`, `tlsOptions` and `proxyOptions`.
 */
export function createOperationContext(
  credential: KeyCredential | TokenCredential,
  service: ServiceEndpoint,
  options: FaceSessionClientOptions,
): OperationContext {
  const limits = resolveLimits(options.limits);
  const redaction = createErrorRedaction(options.loggingOptions?.additionalAllowedHeaderNames);
  const pipelines = createFacePipelines(credential, service.origin, options, redaction.secrets);
  const httpClient =
    options.httpClient ??
    createFaceHttpClient({
      ...(options.agent !== undefined ? { agent: options.agent as unknown as HttpAgent } : {}),
      ...(options.tlsOptions !== undefined ? { tlsOptions: options.tlsOptions } : {}),
      ...(options.proxyOptions !== undefined ? { proxyOptions: options.proxyOptions } : {}),
      limits: { maxBufferedBodyBytes: limits.maxResponseBodyBytes, idleTimeoutInMs: limits.idleTimeoutInMs },
    });
  return { service, limits, pipelines, httpClient, tracing: createOperationTracing(), redaction };
}
