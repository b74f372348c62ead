/**
 * Known Microsoft Entra ID audiences of Azure AI services, one per cloud: the `audience` client
 * option (the token scope is `<audience>/.default`).
 */
export enum KnownFaceAudience {
  /** Azure public cloud (the default). */
  AzurePublicCloud = "https://cognitiveservices.azure.com",
  /** Azure Government (US). */
  AzureGovernment = "https://cognitiveservices.azure.us",
  /** Azure operated by 21Vianet (China). */
  AzureChina = "https://cognitiveservices.azure.cn",
}

/** The Entra ID audience to request tokens for: see {@link KnownFaceAudience}. */
export type FaceAudience = `${KnownFaceAudience}` | (string & {});
