/** Wire-shaped session bodies, as the service returns them (attempts newest first unless a test says otherwise). */

export const SESSION_ID = "b12e033e-bda7-4b83-a211-e721c661f30e";
export const IMAGE_ID = "Ae3PVWlXAmVAnXgkAFt1QSjGUWONKzWiSr2iPh9p9G4I";
export const DIGEST = "B0A803BB7B26F3C8F29CD36030F8E63ED3FAF955FEEF8E01C88AB8FD89CCF761";

const targets = { color: { faceRectangle: { top: 669, left: 203, width: 646, height: 724 } } };

type Wire = Record<string, any>;

export function succeededAttempt(attemptId: number, decision = "realface", extra: Wire = {}): Wire {
  return {
    attemptId,
    attemptStatus: "Succeeded",
    result: { livenessDecision: decision, targets, digest: DIGEST, sessionImageId: IMAGE_ID, ...extra },
  };
}

export function failedAttempt(attemptId: number, code = "FaceWithMaskDetected"): Wire {
  return { attemptId, attemptStatus: "Failed", error: { code, message: "Mask detected on face image.", targets } };
}

export function runningAttempt(attemptId: number): Wire {
  return { attemptId, attemptStatus: "Running" };
}

export function livenessBody(status: string, attempts: Wire[] = [], sessionId = SESSION_ID): Wire {
  return { sessionId, authToken: "eyJhbGciOiJFUzI1NiIsIm", status, modelVersion: "2024-11-15", results: { attempts } };
}

export function withVerifyBody(status: string, attempts: Wire[] = [], sessionId = SESSION_ID): Wire {
  return {
    ...livenessBody(status, attempts, sessionId),
    results: {
      attempts,
      verifyReferences: [
        {
          referenceType: "image",
          faceRectangle: { top: 316, left: 131, width: 498, height: 677 },
          qualityForRecognition: "high",
        },
      ],
    },
  };
}

export function verifyAttempt(attemptId: number, isIdentical: boolean, matchConfidence: number, decision = "realface"): Wire {
  return succeededAttempt(attemptId, decision, { verifyResult: { isIdentical, matchConfidence } });
}
