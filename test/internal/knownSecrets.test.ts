import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { KnownSecrets, MAX_KNOWN_SECRETS, MIN_SECRET_LENGTH } from "../../src/internal/knownSecrets.js";

describe("KnownSecrets", () => {
  it("replaces every occurrence, in any letter case and URL-encoded", () => {
    const secrets = new KnownSecrets();
    secrets.add("abcDEF0123456789");
    secrets.add("tok+en/with=chars");
    expect(secrets.scrub("x abcdef0123456789 y ABCDEF0123456789 z abcDEF0123456789")).toBe("x REDACTED y REDACTED z REDACTED");
    expect(secrets.scrub("q=tok%2Ben%2Fwith%3Dchars&r=tok+en/with=chars")).toBe("q=REDACTED&r=REDACTED");
  });

  it("replaces the longer of two overlapping secrets whole, and finds secrets after non-ASCII text", () => {
    const secrets = new KnownSecrets();
    secrets.addCredentialOf(createHttpHeaders({ authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.payload" }));
    expect(secrets.scrub("got Bearer eyJhbGciOiJIUzI1NiJ9.payload")).toBe("got Bearer REDACTED");
    secrets.add("eyJhbGciOiJIUzI1NiJ9.payload.signature");
    expect(secrets.scrub("jwt eyJhbGciOiJIUzI1NiJ9.payload.signature")).toBe("jwt REDACTED");
    expect(secrets.scrub("token eyJhbGciOiJIUzI1NiJ9.payload")).toBe("token REDACTED");
    // "İ" lower-cases to two code units, which shifts every index after it.
    expect(secrets.scrub("İİİİ eyJhbGciOiJIUzI1NiJ9.payload")).toBe("İİİİ REDACTED");
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters and non-strings`, () => {
    const secrets = new KnownSecrets();
    secrets.add("short");
    secrets.add(12345678);
    secrets.add(undefined);
    expect(secrets.scrub("short 12345678")).toBe("short 12345678");
  });

  it(`remembers at most ${MAX_KNOWN_SECRETS} forms, forgetting the least recently seen`, () => {
    const secrets = new KnownSecrets();
    secrets.add("first-secret-value");
    for (let i = 0; i < MAX_KNOWN_SECRETS - 1; i++) secrets.add(`token-number-${i}`);
    secrets.add("first-secret-value"); // seen again: now the newest
    secrets.add("one-more-token");
    expect(secrets.scrub("first-secret-value")).toBe("REDACTED");
    expect(secrets.scrub("token-number-0")).toBe("token-number-0");
    expect(secrets.scrub("token-number-1 one-more-token")).toBe("REDACTED REDACTED");
  });

  it("scrubs nested values and keys, cutting cycles", () => {
    const secrets = new KnownSecrets();
    secrets.addTokensOf({ authToken: "session-token-123", accessToken: "assets-token-456", other: "not-a-token-789" });
    const cyclic: Record<string, unknown> = { list: ["session-token-123", 7, null], "assets-token-456": true };
    cyclic.self = cyclic;
    expect(secrets.scrubDeep({ error: cyclic, note: "not-a-token-789" })).toEqual({
      error: { list: ["REDACTED", 7, null], REDACTED: true, self: "[Truncated]" },
      note: "not-a-token-789",
    });
  });
});
