import { AzureKeyCredential, FaceSessionClient, KnownLivenessDecision, isRestError } from "azure-face-liveness";
import type { LivenessSession, LivenessSessionAttempt } from "azure-face-liveness";
import { listen } from "azure-face-liveness/emulator";

export async function main(): Promise<string | undefined> {
  const server = await listen({ port: 0 });
  try {
    const client = new FaceSessionClient(server.endpoint, new AzureKeyCredential(server.key), { apiVersion: "v1.2" });
    const session: LivenessSession = await client.createLivenessSession({ livenessOperationMode: "Passive" });
    const attempt: LivenessSessionAttempt | undefined = session.results.attempts[0];
    if (attempt?.result) {
      const live: boolean = attempt.result.livenessDecision === KnownLivenessDecision.RealFace;
      return String(live);
    }
    return attempt?.error?.code;
  } catch (error: unknown) {
    return isRestError(error) ? error.code : undefined;
  } finally {
    await server.close();
  }
}
