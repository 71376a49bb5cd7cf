// `npm start`: serves the built app on PORT and, unless WORKER=off, runs the notification worker in the
// same process (one machine, one process). With WEB_CONCURRENCY=N above 1, N forked processes serve HTTP
// on the shared port and this one runs the worker. `npm run worker` runs a worker alone (app/worker.ts).
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

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function startServer() {
  const config = env();
  const buildPath = join(root, "build", "server", "index.js");
  if (!existsSync(buildPath)) throw new Error("Parcelwise is not built: run `npm run build` first");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
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

/** The primary of WEB_CONCURRENCY > 1: forks the web processes, restarts any that dies, runs the worker. */
function startCluster(processes: number) {
  const config = env();
  let stopping = false;
  const fork = () => cluster.fork({ WORKER: "off", WEB_CONCURRENCY: "1" });
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
  const worker = config.WORKER === "on" ? startWorker() : null;
  log.info("Parcelwise cluster started", { webProcesses: processes, worker: config.WORKER });
  return {
    async stop() {
      stopping = true;
      for (const web of Object.values(cluster.workers ?? {})) web?.kill("SIGTERM");
      await worker?.stop();
    },
  };
}

async function main(): Promise<{ stop(): Promise<void> }> {
  const processes = env().WEB_CONCURRENCY;
  if (processes > 1 && cluster.isPrimary) return startCluster(processes);
  return startServer();
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
