// Re-seals every stored shop secret with the current ENCRYPTION_KEY: values under a previous key or the
// legacy SHOPIFY_API_SECRET-derived key. Idempotent, and safe beside running processes (compare-and-set).
import type { Db } from "~/db.server";
import { decryptSecret, encryptSecret, sealedWithOldKey, type SecretKeys } from "./secrets.server";

export interface RotationCounts {
  /** Re-sealed with the current key now. */
  reencrypted: number;
  /** Already sealed with the current key. */
  current: number;
  /** Readable with none of the keys given: the merchant has to enter them again. */
  unreadable: number;
}

export async function reencryptSecrets(db: Db, keys: SecretKeys): Promise<RotationCounts> {
  const counts: RotationCounts = { reencrypted: 0, current: 0, unreadable: 0 };
  const shops = await db.shop.findMany({ where: { sendgridApiKeyEncrypted: { not: null } }, select: { domain: true, sendgridApiKeyEncrypted: true } });
  for (const { domain, sendgridApiKeyEncrypted: sealed } of shops) {
    if (!sealed) continue;
    if (!sealedWithOldKey(sealed, keys)) {
      counts.current++;
      continue;
    }
    const plain = decryptSecret(sealed, keys);
    if (plain === null) {
      counts.unreadable++;
      continue;
    }
    // Only if nobody saved a new key meanwhile.
    const { count } = await db.shop.updateMany({ where: { domain, sendgridApiKeyEncrypted: sealed }, data: { sendgridApiKeyEncrypted: encryptSecret(plain, keys) } });
    if (count === 1) counts.reencrypted++;
    else counts.current++;
  }
  return counts;
}
