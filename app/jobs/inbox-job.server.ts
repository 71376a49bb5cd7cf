// The webhook inbox as a job: record and plan the deliveries the webhook route accepted.
import { log } from "~/log.server";
import { processInbox, type InboxOptions } from "~/webhooks/inbox.server";
import type { Job } from "./runner.server";

export function inboxJob(options: Omit<InboxOptions, "now">, onRecorded: () => void): Job {
  return {
    name: "inbox",
    async run(now) {
      const inbox = await processInbox({ ...options, now });
      if (inbox.claimed) log.debug("inbox batch", { ...inbox });
      // Planning may have made mail due right now: wake the mail job rather than wait for its poll.
      if (inbox.processed) onRecorded();
      return inbox.claimed > 0;
    },
  };
}
