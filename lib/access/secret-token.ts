// The random tokens Lineage hands out once and stores only as a hash (API tokens, reviewer links, the setup link): a
// copy of the database opens nothing, and a lookup is by the hash's unique index.
import { createHash, randomBytes } from "node:crypto";

/** A new 256-bit random token, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored of a token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
