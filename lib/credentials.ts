// API keys of model endpoints and scorers: either the name of an environment variable read at request time, or a
// secret encrypted at rest with AES-256-GCM. Plain keys exist only in server memory, never in logs, errors or the
// browser (the UI shows the last four characters).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseMode, lineageHome } from "@/lib/db/config";

export class CredentialError extends Error {}

const VERSION = "v1";

/** The 32-byte key: LINEAGE_SECRET_KEY (32 bytes as base64 or hex, or any passphrase, hashed with SHA-256); for the
 * embedded database only, a key file created under LINEAGE_HOME on first use. */
export function secretKey(): Buffer {
  const env = process.env.LINEAGE_SECRET_KEY;
  if (env) {
    if (/^[0-9a-fA-F]{64}$/.test(env)) return Buffer.from(env, "hex");
    const b64 = Buffer.from(env, "base64");
    if (b64.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(env)) return b64;
    return createHash("sha256").update(env, "utf8").digest();
  }
  if (databaseMode() === "postgres") {
    throw new CredentialError(
      "LINEAGE_SECRET_KEY is not set: with DATABASE_URL every process must share the key that encrypts stored API keys. " +
        "Set it (e.g. `openssl rand -base64 32`), or give the key as an environment variable name instead.",
    );
  }
  const file = path.join(lineageHome(), "secret.key");
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(32);
    try {
      fs.writeFileSync(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
      return key;
    } catch {
      // Another caller created it first.
      return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
    }
  }
}

export function encryptSecret(plain: string, key = secretKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

export function decryptSecret(stored: string, key = secretKey()): string {
  const [version, iv, tag, body] = stored.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new CredentialError("stored secret has an unknown format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialError(
      "a stored API key cannot be decrypted: LINEAGE_SECRET_KEY (or LINEAGE_HOME/secret.key) differs from the key it was stored with. Enter the key again.",
    );
  }
}

export function last4(secret: string): string {
  return secret.slice(-4);
}

export interface CredentialSource {
  apiKeyEnv: string | null;
  apiKeyCipher: string | null;
}

/** The API key to send, or undefined when the endpoint needs none. Errors name the variable, never a value. */
export function resolveApiKey(source: CredentialSource): string | undefined {
  if (source.apiKeyCipher) return decryptSecret(source.apiKeyCipher);
  if (source.apiKeyEnv) {
    const value = process.env[source.apiKeyEnv];
    if (!value) throw new CredentialError(`environment variable ${source.apiKeyEnv} is not set in this process`);
    return value;
  }
  return undefined;
}
