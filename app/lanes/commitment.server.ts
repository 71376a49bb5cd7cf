// The handling commitment a shop's mail and tracking page print, from its stored lane model.
import type { Db } from "~/db.server";
import { commitmentOf, learnedCommitment, type Commitment, type CommitmentSettings, type LearnedCommitment } from "./commitment";
import { loadCommitmentModels } from "./store.server";

export async function loadLearnedCommitment(db: Pick<Db, "laneStat">, shop: string, now: Date): Promise<LearnedCommitment> {
  const model = (await loadCommitmentModels(db, [shop])).get(shop)!;
  return learnedCommitment(model, shop, now);
}

export async function loadShopCommitment(db: Pick<Db, "laneStat">, shop: string, settings: CommitmentSettings, now: Date): Promise<Commitment> {
  return commitmentOf(settings, await loadLearnedCommitment(db, shop, now));
}
