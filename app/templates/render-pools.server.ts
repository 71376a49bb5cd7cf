// The process's two render pools, started on first use: the template editor's previews and the worker's
// mail, so a storm of heavy previews never holds up sending (and neither holds up a webhook).
import { renderSettings } from "~/env.server";
import { RenderPool } from "./render-pool.server";

let preview: RenderPool | undefined;
let mail: RenderPool | undefined;

function create(name: "preview" | "mail"): RenderPool {
  const settings = renderSettings();
  const timeLimitMs = name === "preview" ? settings.RENDER_PREVIEW_LIMIT_MS : settings.RENDER_MAIL_LIMIT_MS;
  return new RenderPool({ name, threads: settings.RENDER_THREADS, timeLimitMs });
}

export const previewPool = (): RenderPool => (preview ??= create("preview"));
export const mailPool = (): RenderPool => (mail ??= create("mail"));
