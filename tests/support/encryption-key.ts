// The ENCRYPTION_KEY every test sets (32 bytes, base64, as `openssl rand -base64 32` prints one), and the
// keys it makes for code that seals shop secrets.
import { secretKeys, type SecretKeys } from "~/shops/secrets.server";

export const TEST_ENCRYPTION_KEY = "cGFyY2Vsd2lzZS10ZXN0LWVuY3J5cHRpb24ta2V5ISE=";
export const testSecretKeys = (legacyAppSecret?: string): SecretKeys => secretKeys({ ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SHOPIFY_API_SECRET: legacyAppSecret });
