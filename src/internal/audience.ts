import { KnownFaceAudience } from "../models/audience.js";

/**
 * The Entra ID scope for `audience` (default: the public cloud's): `<audience>/.default`.
 *
 * @throws TypeError when `audience` is not an `https://` URL without query or fragment.
 */
export function scopeForAudience(audience: string | undefined): string {
  if (audience === undefined) return `${KnownFaceAudience.AzurePublicCloud}/.default`;
  const problem = `audience must be an https:// URL such as "${KnownFaceAudience.AzureGovernment}" (see KnownFaceAudience)`;
  if (typeof audience !== "string") throw new TypeError(`${problem}; got ${typeof audience}.`);
  let url: URL;
  try {
    url = new URL(audience);
  } catch {
    throw new TypeError(`${problem}; got a string that is not a URL.`);
  }
  if (url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new TypeError(`${problem}, with no query, fragment or credentials.`);
  }
  const base = audience.replace(/\/\.default$/, "").replace(/\/+$/, "");
  return `${base}/.default`;
}
