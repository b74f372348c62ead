import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { KnownSecrets } from "../../internal/knownSecrets.js";

/** Name of the policy that learns the credential each attempt sends. */
export const knownSecretsPolicyName = "faceKnownSecretsPolicy";

/**
 * Runs after the Sign phase and remembers the API key or bearer token each attempt carries, so
 * the logger and errors can scrub an echo of it (a rotated key or a refreshed token included).
 */
export function knownSecretsPolicy(secrets: KnownSecrets): PipelinePolicy {
  return {
    name: knownSecretsPolicyName,
    sendRequest(request, next) {
      secrets.addCredentialOf(request.headers);
      return next(request);
    },
  };
}
