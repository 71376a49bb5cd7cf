// The process's two render pools, started on first use: the template editor's previews and the worker's
// mail, so a storm of heavy previews never holds up sending (and neither holds up a webhook).
import { renderSettings } from "~/env.server";
import { RenderPool } from "./render-pool.server";

let preview: RenderPool | undefined;
let mail: RenderPool | undefined;

function create(name: "preview" | "mail"): RenderPool {
  const settings = renderSettings();
  const timeLimitMs = name === "preview" ? settings.RENDER_PREVIEW_LIMIT_MS : settings.RENDER_MAIL_LIMIT_MS;
  // The mail pool renders in the background: on a machine it shares with the web process, webhooks and
  // pages get the CPU first (RENDER_MAIL_NICE). Previews are someone waiting in the editor.
  return new RenderPool({ name, threads: settings.RENDER_THREADS, timeLimitMs, nice: name === "mail" ? settings.RENDER_MAIL_NICE : 0 });
}

export const previewPool = (): RenderPool => (preview ??= create("preview"));
export const mailPool = (): RenderPool => (mail ??= create("mail"));
