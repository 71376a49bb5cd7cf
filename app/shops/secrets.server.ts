// Shop secrets at rest (a merchant's own SendGrid API key): AES-256-GCM under ENCRYPTION_KEY, a key of its
// own, so a database dump alone does not reveal them and rotating the app secret changes nothing. Each
// value names the key that sealed it (the first bytes of its SHA-256), so a rotation can tell which
// values still need re-encrypting. Never logged, never sent to the browser.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v2";
// Values sealed before ENCRYPTION_KEY existed, with a key derived from SHOPIFY_API_SECRET: read, never written.
const LEGACY_VERSION = "v1";

export interface SecretKeys {
  /** ENCRYPTION_KEY: seals every new value. */
  current: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS: read only, until `npm run rotate-encryption-key` has re-sealed their values. */
  previous: Buffer[];
  /** SHOPIFY_API_SECRET, to read values sealed before ENCRYPTION_KEY. */
  legacyAppSecret?: string;
}

/** 32 bytes given as 64 hex digits or as base64 (`openssl rand -base64 32`); null for anything else. */
export function parseEncryptionKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === 32 ? bytes : null;
}

export function secretKeys(config: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string; SHOPIFY_API_SECRET?: string }): SecretKeys {
  const parse = (text: string) => {
    const key = parseEncryptionKey(text);
    if (!key) throw new Error("an encryption key must be 32 bytes, base64 or hex");
    return key;
  };
  return {
    current: parse(config.ENCRYPTION_KEY),
    previous: (config.ENCRYPTION_KEY_PREVIOUS ?? "").split(",").filter((text) => text.trim() !== "").map(parse),
    legacyAppSecret: config.SHOPIFY_API_SECRET,
  };
}

const keyId = (key: Buffer) => createHash("sha256").update(key).digest("base64url").slice(0, 8);
const legacyKey = (appSecret: string) => createHash("sha256").update(`parcelwise:secrets:${appSecret}`).digest();

export function encryptSecret(plain: string, keys: SecretKeys): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.current, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, keyId(keys.current), iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

/** The plain secret, or null when no key given made the value, or it was tampered with. */
export function decryptSecret(sealed: string, keys: SecretKeys): string | null {
  const parts = sealed.split(".");
  if (parts[0] === VERSION && parts.length === 5) {
    const [, id, iv, tag, body] = parts;
    const key = [keys.current, ...keys.previous].find((candidate) => keyId(candidate) === id);
    return key ? open(key, iv, tag, body) : null;
  }
  if (parts[0] === LEGACY_VERSION && parts.length === 4 && keys.legacyAppSecret) {
    const [, iv, tag, body] = parts;
    return open(legacyKey(keys.legacyAppSecret), iv, tag, body);
  }
  return null;
}

/** Whether the value was sealed with anything but the current key. */
export function sealedWithOldKey(sealed: string, keys: SecretKeys): boolean {
  const [version, id] = sealed.split(".");
  return version !== VERSION || id !== keyId(keys.current);
}

function open(key: Buffer, iv: string, tag: string, body: string): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** The form of values sealed before ENCRYPTION_KEY, for tests of their migration. */
export function encryptLegacySecret(plain: string, appSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", legacyKey(appSecret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [LEGACY_VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}
