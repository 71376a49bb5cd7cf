// `npm run worker`: a worker process alone, for scaling sending beyond the web process.
import "./production-default";
import { startWorker } from "./jobs/start.server";
import { log } from "./log.server";
import { startIdleGc } from "./idle-gc.server";

const worker = startWorker();
startIdleGc();
log.info("Parcelwise worker started");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void worker.stop().then(() => process.exit(0)));
}
