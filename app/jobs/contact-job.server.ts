// Contact-form messages as a job of their own: a merchant's mail from a buyer never waits behind a
// batch of notifications, and never holds one up.
import { log } from "~/log.server";
import { deliverDueContactMessages, type ContactSendOptions } from "~/feedback/contact-send.server";
import type { Job } from "./runner.server";

export function contactJob(options: ContactSendOptions): Job {
  return {
    name: "contact messages",
    async run(now) {
      const result = await deliverDueContactMessages(options, now);
      if (result.claimed) log.info("contact messages batch", { ...result });
      return result.claimed > 0;
    },
  };
}
