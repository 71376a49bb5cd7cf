import { db } from "~/db.server";

export const loader = async () => {
  await db.shop.count();
  return new Response("ok", { headers: { "Content-Type": "text/plain" } });
};
