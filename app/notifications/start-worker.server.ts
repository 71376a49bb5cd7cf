// Wires the worker to the environment: the one database, SendGrid at SENDGRID_BASE_URL.
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { startWorkerLoop, type RunningWorker } from "./worker.server";

export function startWorker(): RunningWorker {
  const config = env();
  if (!config.SENDGRID_API_KEY) log.warn("SENDGRID_API_KEY is not set: notifications wait until it is");
  const mailer = config.SENDGRID_API_KEY
    ? createSendGridMailer({ apiKey: config.SENDGRID_API_KEY, baseUrl: config.SENDGRID_BASE_URL })
    : null;
  return startWorkerLoop({
    db,
    mailer,
    from: { email: config.MAIL_FROM_EMAIL, name: config.MAIL_FROM_NAME },
    pollMs: config.WORKER_POLL_MS,
  });
}
