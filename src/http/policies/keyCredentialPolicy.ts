import type { KeyCredential } from "@azure/core-auth";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/** Name of the policy that sends the API key. */
export const keyCredentialPolicyName = "faceKeyCredentialPolicy";

/** Header carrying the API key. */
export const API_KEY_HEADER = "Ocp-Apim-Subscription-Key";

/**
 * Sends the API key in `Ocp-Apim-Subscription-Key`, reading `credential.key` on every request so
 * `AzureKeyCredential.update()` rotates it. The key goes only to the configured origin: a request
 * to any other origin (for example after a redirect) is sent without it.
 */
export function keyCredentialPolicy(credential: KeyCredential, origin: string): PipelinePolicy {
  // Request URLs are built by the client (or rewritten by a redirect) in normalised form.
  const prefix = `${origin}/`;
  return {
    name: keyCredentialPolicyName,
    sendRequest(request, next) {
      if (request.url.startsWith(prefix)) {
        request.headers.set(API_KEY_HEADER, credential.key);
      } else {
        request.headers.delete(API_KEY_HEADER);
      }
      return next(request);
    },
  };
}
