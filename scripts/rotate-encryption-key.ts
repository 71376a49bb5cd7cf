// `npm run rotate-encryption-key`: re-encrypts every stored shop secret with ENCRYPTION_KEY. Values sealed
// with a key in ENCRYPTION_KEY_PREVIOUS, or with the SHOPIFY_API_SECRET-derived key of older versions, are
// re-sealed; running it again changes nothing. Prints the counts; exits 1 if any value could not be read.
import { createDb } from "~/db.server";
import { databaseUrl, encryptionEnv } from "~/env.server";
import { reencryptSecrets } from "~/shops/rotate-secrets.server";
import { secretKeys } from "~/shops/secrets.server";

let keys;
try {
  keys = secretKeys(encryptionEnv());
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const db = createDb(databaseUrl());
try {
  const counts = await reencryptSecrets(db, keys);
  console.log(`Shop secrets: ${counts.reencrypted} re-encrypted, ${counts.current} already current, ${counts.unreadable} unreadable`);
  if (counts.unreadable > 0) {
    console.error("Unreadable values were sealed with a key not given: add it to ENCRYPTION_KEY_PREVIOUS and run again, or have those merchants enter their SendGrid key again.");
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
