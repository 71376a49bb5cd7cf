// `npm start`: serves the built app on PORT and runs the notification worker beside it, in two processes on
// one machine: this one (the primary) runs the worker and forks a web process that serves HTTP, restarted if
// it dies, so that recording and sending never hold up a webhook's answer and the two use two cores. With
// WEB_CONCURRENCY=N, N forked web processes serve the shared port. With WORKER=off and WEB_CONCURRENCY=1
// this one process serves HTTP alone. `npm run worker` runs a worker alone (app/worker.ts).
import "./production-default";
import cluster from "node:cluster";
import express from "express";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { env } from "./env.server";
import { loadContext } from "./load-context";
import { log } from "./log.server";
import { startWorker } from "./jobs/start.server";
import { notifyInbox, INBOX_MESSAGE } from "./webhooks/inbox-signal.server";
import { limitBody } from "./http/body-limit.server";
import { remixHandler } from "./http/remix-handler.server";
import { answerErrors } from "./http/errors.server";
import { webhookRouteHandler } from "./http/webhook-route.server";
import { startIdleGc } from "./idle-gc.server";
import { setThreadNice, threadNice } from "./os/thread-nice";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function startServer() {
  const config = env();
  const buildPath = join(root, "build", "server", "index.js");
  if (!existsSync(buildPath)) throw new Error("Parcelwise is not built: run `npm run build` first");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  // Shopify's deliveries first: no static file is ever a POST, and this path skips Remix's route matching.
  app.post("/webhooks/*", limitBody(config.MAX_BODY_BYTES), webhookRouteHandler(build, loadContext));
  app.use("/assets", express.static(join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(join(root, "build", "client"), { maxAge: "1h" }));
  app.all("*", limitBody(config.MAX_BODY_BYTES), remixHandler(build, loadContext));
  app.use(answerErrors);

  const server = await new Promise<import("node:http").Server>((resolve) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  // Shopify's webhook deadline is 5 s; keep-alive sockets outlive load balancers' idle timeouts.
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  log.info("Parcelwise listening", { port, worker: config.WORKER });

  const worker = config.WORKER === "on" ? startWorker() : null;
  const stop = async () => {
    await worker?.stop();
    server.close();
  };
  return { server, port, stop };
}

/** How long a stopping primary waits for its web processes to finish their answers and exit. */
const WEB_STOP_MS = 10_000;

/** The primary: forks the web processes, restarts any that dies, runs the worker (unless WORKER=off). */
function startCluster(processes: number) {
  const config = env();
  let stopping = false;
  // One web process accepts its connections itself; the primary's event loop (the worker's) is not on the
  // way of a new connection. Several share them round-robin through the primary, which balances them.
  if (processes === 1) cluster.schedulingPolicy = cluster.SCHED_NONE;
  // A process starts at the niceness of the thread that forks it: a web process forked after the worker's
  // thread has lowered its priority (a replacement) is told the niceness to take back.
  const webNice = threadNice();
  const fork = () => cluster.fork({ WORKER: "off", WEB_CONCURRENCY: "1", ...(webNice === null ? {} : { PARCELWISE_WEB_NICE: String(webNice) }) });
  for (let i = 0; i < processes; i++) fork();
  cluster.on("exit", (web, code, signal) => {
    if (stopping) return;
    log.error("web process died; starting another", { pid: web.process.pid, code, signal });
    fork();
  });
  // A web process that accepted a webhook wakes the worker here.
  cluster.on("message", (_web, message) => {
    if (message === INBOX_MESSAGE) notifyInbox();
  });
  // The web processes are forked: from here this thread (the worker's) yields the CPU to them. Not when
  // several share the port: this thread's event loop then accepts every connection and hands it on, and
  // lowering its priority would put new connections behind the web processes' work (a precaution: not
  // measured apart from this machine's noise).
  const niced = config.WORKER === "on" && processes === 1 && config.WORKER_NICE > 0 && webNice !== null && webNice < config.WORKER_NICE;
  if (niced) setThreadNice(config.WORKER_NICE);
  const worker = config.WORKER === "on" ? startWorker() : null;
  log.info("Parcelwise cluster started", { webProcesses: processes, worker: config.WORKER, workerNice: threadNice() });
  return {
    async stop() {
      stopping = true;
      const webs = Object.values(cluster.workers ?? {}).filter((web) => web !== undefined);
      const exited = webs.map((web) => new Promise<void>((resolve) => (web.isDead() ? resolve() : web.once("exit", () => resolve()))));
      for (const web of webs) web.kill("SIGTERM");
      await worker?.stop();
      // A web process still answering after WEB_STOP_MS is not waited for: the primary's exit ends it.
      await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, WEB_STOP_MS).unref())]);
    },
  };
}

/** A web process forked after the worker lowered its priority takes back the web processes' own. */
function takeBackWebNice(): void {
  const wanted = Number(process.env.PARCELWISE_WEB_NICE);
  const nice = threadNice();
  if (!Number.isInteger(wanted) || nice === null || nice <= wanted) return;
  if (!setThreadNice(wanted)) {
    log.warn("this web process runs at the worker's niceness (forked after it, and raising a priority is not allowed here): restart npm start to give webhooks the CPU first again", { nice, wanted });
  }
}

async function main(): Promise<{ stop(): Promise<void> }> {
  const config = env();
  startIdleGc();
  if (!cluster.isPrimary) takeBackWebNice();
  // A forked web process, or one process serving HTTP alone (WORKER=off, WEB_CONCURRENCY=1).
  if (!cluster.isPrimary || (config.WORKER === "off" && config.WEB_CONCURRENCY === 1)) return startServer();
  return startCluster(config.WEB_CONCURRENCY);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main()
    .then(({ stop }) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => void stop().then(() => process.exit(0)));
      }
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
