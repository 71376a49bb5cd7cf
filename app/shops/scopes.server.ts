// app/scopes_update: the merchant granted or revoked access scopes; the shop's sessions say what they now allow.
import type { Prisma } from "@prisma/client";

export async function recordScopes(tx: Prisma.TransactionClient, shop: string, scopes: string[]): Promise<void> {
  await tx.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
}
