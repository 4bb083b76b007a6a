// API keys of model endpoints and scorers: either the name of an environment variable read at request time, or a
// secret encrypted at rest with AES-256-GCM. Plain keys exist only in server memory, never in logs, errors or the
// browser (the UI shows the last four characters of a long key, nothing of a short one).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseMode, lineageHome } from "@/lib/db/config";
import { errorOfKind } from "@/lib/errors";

export class CredentialError extends errorOfKind("environment") {}

const VERSION = "v1";

/** A key given as 32 bytes in hex or base64, or any passphrase (hashed with SHA-256). */
function keyFromText(text: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  const b64 = Buffer.from(text, "base64");
  if (b64.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(text)) return b64;
  return createHash("sha256").update(text, "utf8").digest();
}

/** The key file: LINEAGE_SECRET_KEY_FILE, else LINEAGE_HOME/secret.key (kept apart from the database it unlocks if
 * LINEAGE_SECRET_KEY_FILE points elsewhere). */
export function secretKeyFile(): string {
  const file = process.env.LINEAGE_SECRET_KEY_FILE?.trim();
  return file ? path.resolve(/*turbopackIgnore: true*/ file) : path.join(lineageHome(), "secret.key");
}

/** The 32-byte key: LINEAGE_SECRET_KEY; else the key file (LINEAGE_SECRET_KEY_FILE), which for the embedded
 * database only is created on first use. Errors never name the file's path: they reach the browser. */
export function secretKey(): Buffer {
  const env = process.env.LINEAGE_SECRET_KEY;
  if (env) return keyFromText(env);
  const explicitFile = !!process.env.LINEAGE_SECRET_KEY_FILE?.trim();
  if (databaseMode() === "postgres" && !explicitFile) {
    throw new CredentialError(
      "LINEAGE_SECRET_KEY is not set: with DATABASE_URL every process must share the key that encrypts stored API keys. " +
        "Set it (e.g. `openssl rand -base64 32`) or LINEAGE_SECRET_KEY_FILE, or give the key as an environment variable name instead.",
    );
  }
  const file = secretKeyFile();
  const read = (): Buffer => {
    const text = fs.readFileSync(file, "utf8").trim();
    if (!text) throw new CredentialError("the key file (LINEAGE_SECRET_KEY_FILE or LINEAGE_HOME/secret.key) is empty");
    return keyFromText(text);
  };
  try {
    return read();
  } catch (err) {
    if (err instanceof CredentialError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // A file named explicitly with PostgreSQL is shared by every process: creating one here would fork the key.
    if (code !== "ENOENT" || databaseMode() === "postgres")
      throw new CredentialError(`the key file (LINEAGE_SECRET_KEY_FILE or LINEAGE_HOME/secret.key) cannot be read (${code ?? "error"})`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    // Another caller created it first.
    return read();
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
      "a stored API key cannot be decrypted: LINEAGE_SECRET_KEY (or the key file, LINEAGE_SECRET_KEY_FILE or LINEAGE_HOME/secret.key) differs from the key it was stored with. Enter the key again.",
    );
  }
}

/** Identifies a stored key in the UI: its last four characters, or nothing for a key of 8 characters or fewer (four
 * would be half of it or more). */
export function last4(secret: string): string {
  return secret.length > 8 ? secret.slice(-4) : "";
}

/** The stored last four as they may be shown: rows saved before short keys were hidden may hold a whole short key. */
export function shownLast4(stored: string | null | undefined): string {
  return stored && stored.length === 4 ? stored : "";
}

/** How the UI names a stored key. */
export function describeStoredKey(last4: string): string {
  return last4 ? `ending in …${last4}` : "a short key is stored (none of it is shown)";
}

// ---------------------------------------------------------------------------------------------- key variables
// A key variable's value is sent as a bearer token to a URL the visitor chooses, so only names meant for keys may be
// used: by default those ending in _API_KEY or _TOKEN, never Lineage's own settings (LINEAGE_SECRET_KEY decrypts
// every stored key) or DATABASE_URL, whatever LINEAGE_KEY_VARIABLES says.

export const DEFAULT_KEY_VARIABLES = ["*_API_KEY", "*_TOKEN"];
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** LINEAGE_KEY_VARIABLES (comma-separated names or *-globs), else the default. */
export function keyVariablePatterns(env: Record<string, string | undefined> = process.env): string[] {
  const list = (env.LINEAGE_KEY_VARIABLES ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return list.length ? list : DEFAULT_KEY_VARIABLES;
}

function globMatches(pattern: string, name: string): boolean {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^$()|[\]{}\\]/g, "\\$&"));
  return new RegExp("^" + escaped.join(".*") + "$", "i").test(name);
}

/** Whether a variable may hold an API key. Case-insensitive: on Windows, environment names are. */
export function isAllowedKeyVariable(name: string, env: Record<string, string | undefined> = process.env): boolean {
  if (!VARIABLE_NAME.test(name)) return false;
  const upper = name.toUpperCase();
  if (upper.startsWith("LINEAGE_") || upper === "DATABASE_URL") return false;
  return keyVariablePatterns(env).some((p) => globMatches(p, name));
}

/** The field error for a key variable name at save time, or null. Whether the name is allowed depends on the name
 * alone, so saying so reveals nothing about the environment. */
export function keyVariableNameError(name: string, example = "OPENAI_API_KEY"): string | null {
  if (!VARIABLE_NAME.test(name)) return `Enter an environment variable name, e.g. ${example}.`;
  if (!isAllowedKeyVariable(name))
    return `${name} may not hold an API key: allowed names are ${keyVariablePatterns().join(", ")} (LINEAGE_KEY_VARIABLES); LINEAGE_* and DATABASE_URL never are.`;
  return null;
}

/** The value of a key variable, only when its name is allowed: the one way to read one. */
export function keyVariableValue(name: string): string | undefined {
  return isAllowedKeyVariable(name) ? process.env[name] || undefined : undefined;
}

export interface CredentialSource {
  apiKeyEnv: string | null;
  apiKeyCipher: string | null;
}

/** The API key to send, or undefined when the endpoint needs none. Errors name the variable, never a value, and are
 * the same whether the name is unset or not allowed, so that they do not tell which other variables exist. */
export function resolveApiKey(source: CredentialSource): string | undefined {
  if (source.apiKeyCipher) return decryptSecret(source.apiKeyCipher);
  if (source.apiKeyEnv) {
    const value = keyVariableValue(source.apiKeyEnv);
    if (!value)
      throw new CredentialError(`no usable key in variable ${source.apiKeyEnv}: it must be set for the dashboard and allowed (see LINEAGE_KEY_VARIABLES)`);
    return value;
  }
  return undefined;
}
