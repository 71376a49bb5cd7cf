// A local, SendGrid-compatible capture server for tests, the demo and benchmarks. It speaks just
// enough of `POST /v3/mail/send` (auth, minimal v3 validation, 202 + X-Message-Id, SendGrid-shaped
// error bodies, sandbox mode answering 200) for the real @sendgrid/mail client to run against it,
// records what it receives, and can be told to fail or hang the next sends.
//
// Standalone: `tsx tests/standins/capture-server.ts` listens on $PORT (default 3025) and $HOST (default
// 127.0.0.1); set $CAPTURE_API_KEY to require that Bearer key. Browse / to read captured mails.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface CapturedMail {
  /** The X-Message-Id returned to the client. */
  id: string;
  receivedAt: string;
  to: string[];
  from: string;
  subject: string;
  html: string | null;
  text: string | null;
  categories: string[];
  customArgs: Record<string, string>;
  headers: Record<string, string>;
  sandbox: boolean;
  raw: unknown;
  /** Extras (not part of the SendGrid payload shape the tests key on, but handy). */
  fromName: string | null;
  replyTo: string | null;
}

export interface CaptureServer {
  /** e.g. http://127.0.0.1:PORT: pass as the mailer's baseUrl. */
  url: string;
  /** Accepted mails, oldest first. Mutated in place (clear() empties this same array). */
  mails: CapturedMail[];
  /** Total mails accepted since start/clear(), including any trimmed by `maxMails`. */
  readonly count: number;
  /** Send requests accepted since start/clear() (a request carries a mail per personalization). */
  readonly requests: number;
  /** Mails in the requests answered with an injected failure (failNext) since start/clear(). */
  readonly refusedMails: number;
  /** Mails in the requests left unanswered (hangNext) since start/clear(). */
  readonly hungMails: number;
  /**
   * Send requests whose body is still being read, their answer (accepted, failed, hung) not decided yet:
   * a client killed mid-request may have written a whole body that is read only after it died.
   */
  readonly reading: number;
  /** The next `count` sends (default 1) answer `status` with a SendGrid-shaped error body. */
  failNext(status: number, count?: number, opts?: { retryAfterSeconds?: number; message?: string }): void;
  /** The next `count` sends (default 1) are read and never answered. */
  hangNext(count?: number): void;
  /** Forget captured mails, the counter and any queued failures/hangs. */
  clear(): void;
  /** Drop the failures and hangs still queued (SendGrid is back); captured mails stay. */
  recover(): void;
  /** Resolves once `count` mails have been accepted in total (rejects after timeoutMs). */
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface CaptureServerOptions {
  port?: number;
  host?: string;
  /** When set, `Authorization: Bearer <apiKey>` is required (401 otherwise). */
  apiKey?: string;
  /** Default true. When false only metadata is kept (html, text and raw are null). */
  keepBodies?: boolean;
  /** Keep at most this many mails in `mails` (oldest dropped; `count` still counts). Default unbounded. */
  maxMails?: number;
}

type Injection =
  | { kind: "fail"; status: number; retryAfterSeconds?: number; message?: string }
  | { kind: "hang" };

interface SgError {
  message: string;
  field: string | null;
  help: string | null;
}

const MAX_BODY_BYTES = 30 * 1024 * 1024; // SendGrid's total message size limit
const SEND_PATH = "/v3/mail/send";
const EMAIL_RE = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;
const RESERVED_HEADERS = new Set([
  "x-sg-id",
  "x-sg-eid",
  "received",
  "dkim-signature",
  "content-type",
  "content-transfer-encoding",
  "to",
  "from",
  "subject",
  "reply-to",
  "cc",
  "bcc",
]);
const HELP_BASE = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html";

const DEFAULT_FAILURE_MESSAGES: Record<number, { message: string; field: string | null }> = {
  400: { message: "Bad Request", field: null },
  401: { message: "The provided authorization grant is invalid, expired, or revoked", field: null },
  403: {
    message:
      "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. " +
      "Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements",
    field: "from",
  },
  413: { message: "Payload Too Large", field: null },
  429: { message: "too many requests", field: null },
  500: { message: "Internal server error", field: null },
  502: { message: "Bad Gateway", field: null },
  503: { message: "Service Unavailable", field: null },
};

export async function startCaptureServer(opts: CaptureServerOptions = {}): Promise<CaptureServer> {
  const host = opts.host ?? "127.0.0.1";
  const keepBodies = opts.keepBodies ?? true;
  const maxMails = opts.maxMails !== undefined && opts.maxMails > 0 ? Math.floor(opts.maxMails) : Infinity;
  const apiKey = opts.apiKey;

  const mails: CapturedMail[] = [];
  let total = 0;
  let accepted = 0;
  let refused = 0;
  let hungMails = 0;
  let reading = 0;
  const queue: Injection[] = [];
  const hanging = new Set<http.ServerResponse>();
  const waiters = new Set<{ count: number; resolve: () => void }>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { errors: [{ message: `capture server error: ${String(err)}`, field: null, help: null }] });
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://capture.local");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";

    if (path === SEND_PATH) {
      if (method !== "POST") {
        req.resume();
        res.setHeader("Allow", "POST");
        return sendErrors(res, 405, [{ message: "Method Not Allowed", field: null, help: null }]);
      }
      return handleSend(req, res);
    }

    if (method !== "GET" && method !== "HEAD") {
      req.resume();
      res.setHeader("Allow", "GET, HEAD");
      return sendErrors(res, 405, [{ message: "Method Not Allowed", field: null, help: null }]);
    }
    req.resume();

    if (path === "/") return sendHtml(res, 200, renderIndex(mails, total, keepBodies));
    if (path === "/mails") {
      const limitParam = Number(url.searchParams.get("limit"));
      const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : mails.length;
      const list: Omit<CapturedMail, "raw">[] = [];
      for (let i = mails.length - 1; i >= 0 && list.length < limit; i--) {
        const summary: Partial<CapturedMail> = { ...mails[i] };
        delete summary.raw;
        list.push(summary as Omit<CapturedMail, "raw">);
      }
      return sendJson(res, 200, list);
    }
    const m = /^\/mails\/([^/]+?)(\.html|\.txt|\.json)?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]);
      const mail = findMail(mails, id);
      if (!mail) return sendErrors(res, 404, [{ message: `no captured mail with id ${id}`, field: null, help: null }]);
      if (m[2] === ".html") {
        if (mail.html === null) return sendText(res, 404, "No HTML body kept for this mail.\n");
        // Captured mail is untrusted content: show it, never run it.
        res.setHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline' *");
        return sendHtml(res, 200, mail.html);
      }
      if (m[2] === ".txt") {
        if (mail.text === null) return sendText(res, 404, "No text body kept for this mail.\n");
        return sendText(res, 200, mail.text);
      }
      return sendJson(res, 200, mail);
    }
    return sendErrors(res, 404, [{ message: "Not Found", field: null, help: null }]);
  }

  async function handleSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`) {
      req.resume();
      return sendErrors(res, 401, [{ ...DEFAULT_FAILURE_MESSAGES[401], help: null }]);
    }

    reading++;
    let raw: Buffer | null;
    try {
      raw = await readBody(req);
    } finally {
      reading--;
    }
    if (raw === null) {
      return sendErrors(res, 413, [{ ...DEFAULT_FAILURE_MESSAGES[413], help: null }]);
    }

    const injection = queue.shift();
    if (injection?.kind === "hang") {
      hungMails += personalizationsIn(raw);
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (injection?.kind === "fail") {
      refused += personalizationsIn(raw);
      return sendInjectedFailure(res, injection);
    }

    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return sendErrors(res, 400, [{ message: "Bad Request", field: null, help: null }]);
    }
    const errors = validateMailSend(body);
    if (errors.length > 0) return sendErrors(res, 400, errors);

    const id = randomBytes(16).toString("base64url");
    // One mail per personalization, as SendGrid sends one per personalization (all with this X-Message-Id).
    const captured = toCapturedMails(id, body as Record<string, unknown>, keepBodies);
    for (const mail of captured) mails.push(mail);
    if (mails.length > maxMails) mails.splice(0, mails.length - maxMails);
    total += captured.length;
    accepted++;
    for (const w of waiters) {
      if (total >= w.count) {
        waiters.delete(w);
        w.resolve();
      }
    }

    // Like SendGrid: 202 Accepted with an empty body, or 200 OK in sandbox mode.
    res.statusCode = captured[0]!.sandbox ? 200 : 202;
    res.setHeader("X-Message-Id", id);
    res.setHeader("Content-Length", "0");
    res.end();
  }

  function sendInjectedFailure(res: http.ServerResponse, inj: Extract<Injection, { kind: "fail" }>): void {
    const defaults = DEFAULT_FAILURE_MESSAGES[inj.status] ?? {
      message: http.STATUS_CODES[inj.status] ?? `HTTP ${inj.status}`,
      field: null,
    };
    if (inj.status === 429) {
      const seconds = inj.retryAfterSeconds ?? 1;
      res.setHeader("X-RateLimit-Limit", "600");
      res.setHeader("X-RateLimit-Remaining", "0");
      res.setHeader("X-RateLimit-Reset", String(Math.ceil(Date.now() / 1000 + seconds)));
    } else if (inj.retryAfterSeconds !== undefined) {
      res.setHeader("Retry-After", String(inj.retryAfterSeconds));
    }
    sendErrors(res, inj.status, [{ message: inj.message ?? defaults.message, field: defaults.field, help: null }]);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | null = null;

  return {
    url,
    mails,
    get count() {
      return total;
    },
    get requests() {
      return accepted;
    },
    get refusedMails() {
      return refused;
    },
    get reading() {
      return reading;
    },
    get hungMails() {
      return hungMails;
    },
    failNext(status, count = 1, failOpts = {}) {
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`failNext: status must be an HTTP error status (4xx/5xx), got ${status}`);
      }
      for (let i = 0; i < count; i++) {
        queue.push({ kind: "fail", status, retryAfterSeconds: failOpts.retryAfterSeconds, message: failOpts.message });
      }
    },
    hangNext(count = 1) {
      for (let i = 0; i < count; i++) queue.push({ kind: "hang" });
    },
    clear() {
      mails.length = 0;
      total = 0;
      accepted = 0;
      refused = 0;
      hungMails = 0;
      queue.length = 0;
    },
    recover() {
      queue.length = 0;
    },
    waitForCount(count, timeoutMs = 10_000) {
      if (total >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`capture server: waited ${timeoutMs}ms for ${count} mails, got ${total}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      if (tooBig) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** How many mails a request body asks for (its personalizations); 0 if it is not one. */
function personalizationsIn(raw: Buffer): number {
  try {
    const body = JSON.parse(raw.toString("utf8")) as { personalizations?: unknown };
    return Array.isArray(body.personalizations) ? body.personalizations.length : 0;
  } catch {
    return 0;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isEmail(v: unknown): v is string {
  return typeof v === "string" && EMAIL_RE.test(v);
}

/** Minimal v3 mail/send validation, with SendGrid's messages and field paths. */
export function validateMailSend(body: unknown): SgError[] {
  const errors: SgError[] = [];
  const err = (message: string, field: string | null, anchor?: string) =>
    errors.push({ message, field, help: anchor ? `${HELP_BASE}#${anchor}` : null });
  if (!isObject(body)) {
    err("Bad Request", null);
    return errors;
  }
  const hasTemplate = typeof body.template_id === "string" && body.template_id !== "";

  const ps = body.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) {
    err(
      "The personalizations field is required and must have at least one personalization.",
      "personalizations",
      "-Personalizations-Errors",
    );
  } else if (ps.length > 1000) {
    err(
      `The personalization block is limited to 1000 personalizations per API request. You have provided ${ps.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
      "personalizations",
      "message.personalizations",
    );
  } else {
    const addresses = new Set<string>();
    ps.forEach((p, i) => {
      const subs = isObject(p) ? p.substitutions : undefined;
      if (subs !== undefined) {
        if (!isObject(subs) || !Object.values(subs).every((v) => typeof v === "string")) {
          err("Substitutions must be an object of strings.", `personalizations.${i}.substitutions`, "message.personalizations.substitutions");
        } else if (Object.entries(subs).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v as string), 0) > 50_000) {
          err("Substitutions are limited to 50,000 bytes per personalization block.", `personalizations.${i}.substitutions`, "message.personalizations.substitutions");
        }
      }
      const to = isObject(p) ? p.to : undefined;
      if (!Array.isArray(to) || to.length === 0) {
        err(
          "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
          `personalizations.${i}.to`,
          "message.personalizations.to",
        );
        return;
      }
      to.forEach((addr, j) => {
        if (!isObject(addr) || !isEmail(addr.email)) {
          err("Does not contain a valid address.", `personalizations.${i}.to.${j}.email`, "message.personalizations.to");
        } else if (addresses.has(addr.email.toLowerCase())) {
          err(
            "Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [" + addr.email + "] in the personalizations.${i}.to field.",
            `personalizations.${i}.to`,
            "message.recipient_errors",
          );
        } else {
          addresses.add(addr.email.toLowerCase());
        }
      });
    });
  }

  if (!isObject(body.from) || body.from.email === undefined || body.from.email === "") {
    err(
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
      "from.email",
      "message.from",
    );
  } else if (!isEmail(body.from.email)) {
    err("The from email does not contain a valid address.", "from.email", "message.from");
  }

  if (body.reply_to !== undefined && (!isObject(body.reply_to) || !isEmail(body.reply_to.email))) {
    err("The reply_to email does not contain a valid address.", "reply_to.email", "message.reply_to");
  }

  const everyPersonalizationHasSubject =
    Array.isArray(ps) && ps.length > 0 && ps.every((p) => isObject(p) && typeof p.subject === "string" && p.subject !== "");
  if (!hasTemplate && !everyPersonalizationHasSubject && (typeof body.subject !== "string" || body.subject === "")) {
    err(
      "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
      "subject",
      "message.subject",
    );
  }

  const content = body.content;
  if (content === undefined || (Array.isArray(content) && content.length === 0)) {
    if (!hasTemplate) {
      err(
        "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.",
        "content",
        "message.content",
      );
    }
  } else if (!Array.isArray(content)) {
    err("The content parameter must be an array.", "content", "message.content");
  } else {
    const types: string[] = [];
    content.forEach((c, i) => {
      if (!isObject(c) || typeof c.type !== "string" || c.type === "") {
        err("The content type must be a string at least one character in length.", `content.${i}.type`, "message.content.type");
      } else {
        types.push(c.type);
      }
      if (!isObject(c) || typeof c.value !== "string" || c.value === "") {
        err("The content value must be a string at least one character in length.", `content.${i}.value`, "message.content.value");
      }
    });
    const expectedOrder = ["text/plain", "text/html"].filter((t) => types.includes(t));
    if (expectedOrder.some((t, i) => types[i] !== t)) {
      err(
        "If present, text/plain content must be first, followed by text/html, followed by any other content.",
        "content",
        "message.content",
      );
    }
  }

  if (body.categories !== undefined) {
    const cats = body.categories;
    if (!Array.isArray(cats) || !cats.every((c) => typeof c === "string")) {
      err("The categories param must be an array of strings.", "categories", "message.categories");
    } else {
      if (cats.length > 10) err("You may not have more than 10 categories per request.", "categories", "message.categories");
      if (cats.some((c) => c.length > 255)) err("A category cannot have more than 255 characters.", "categories", "message.categories");
    }
  }

  if (body.custom_args !== undefined) {
    if (!isObject(body.custom_args)) {
      err("The custom_args param must be an object.", "custom_args", "message.custom_args");
    } else {
      for (const [k, v] of Object.entries(body.custom_args)) {
        if (typeof v !== "string") err("Custom args values must be strings.", `custom_args.${k}`, "message.custom_args");
      }
    }
  }

  if (body.headers !== undefined) {
    if (!isObject(body.headers)) {
      err("The headers param must be an object.", "headers", "message.headers");
    } else {
      for (const [k, v] of Object.entries(body.headers)) {
        if (RESERVED_HEADERS.has(k.toLowerCase())) err(`The ${k} header is reserved and cannot be used.`, "headers", "message.headers");
        else if (typeof v !== "string") err("Header values must be strings.", `headers.${k}`, "message.headers");
      }
    }
  }

  const sandboxMode = isObject(body.mail_settings) ? body.mail_settings.sandbox_mode : undefined;
  if (sandboxMode !== undefined && (!isObject(sandboxMode) || typeof sandboxMode.enable !== "boolean")) {
    err("The sandbox mode enable param should be a boolean value.", "mail_settings.sandbox_mode.enable", "message.mail_settings");
  }

  return errors;
}

/** The mails one request makes: one per personalization, its substitutions applied to its subject and bodies. */
function toCapturedMails(id: string, body: Record<string, unknown>, keepBodies: boolean): CapturedMail[] {
  const ps = (body.personalizations as Record<string, unknown>[]) ?? [];
  const from = body.from as { email: string; name?: unknown };
  const replyTo = isObject(body.reply_to) && typeof body.reply_to.email === "string" ? body.reply_to.email : null;
  const content = Array.isArray(body.content) ? (body.content as { type: string; value: string }[]) : [];
  const html = content.find((c) => c.type === "text/html")?.value ?? null;
  const text = content.find((c) => c.type === "text/plain")?.value ?? null;
  const sandboxMode = isObject(body.mail_settings) ? body.mail_settings.sandbox_mode : undefined;
  const receivedAt = new Date().toISOString();
  return ps.map((p) => {
    const subs = new Map(Object.entries(stringRecord(p.substitutions)));
    const tags = subs.size > 0 ? new RegExp([...subs.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g") : null;
    // Each tag replaced by its value in one pass: a value is never searched for further tags.
    const substitute = (s: string | null): string | null => (s === null || !tags ? s : s.replace(tags, (tag) => subs.get(tag) ?? tag));
    const subject = typeof p.subject === "string" && p.subject !== "" ? p.subject : typeof body.subject === "string" ? body.subject : "";
    return {
      id,
      receivedAt,
      to: ((p.to as { email: string }[]) ?? []).map((a) => a.email),
      from: from.email,
      subject: substitute(subject) ?? "",
      html: keepBodies ? substitute(html) : null,
      text: keepBodies ? substitute(text) : null,
      categories: Array.isArray(body.categories) ? [...(body.categories as string[])] : [],
      customArgs: { ...stringRecord(body.custom_args), ...stringRecord(p.custom_args) },
      headers: { ...stringRecord(body.headers), ...stringRecord(p.headers) },
      sandbox: isObject(sandboxMode) && sandboxMode.enable === true,
      raw: keepBodies ? body : null,
      fromName: typeof from.name === "string" ? from.name : null,
      replyTo,
    };
  });
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

function findMail(mails: CapturedMail[], id: string): CapturedMail | undefined {
  for (let i = mails.length - 1; i >= 0; i--) if (mails[i].id === id) return mails[i];
  return undefined;
}

function sendErrors(res: http.ServerResponse, status: number, errors: SgError[]): void {
  sendJson(res, status, { errors });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(res.req?.method === "HEAD" ? undefined : body);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(html));
  res.end(res.req?.method === "HEAD" ? undefined : html);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(res.req?.method === "HEAD" ? undefined : text);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const INDEX_ROWS = 500;

function renderIndex(mails: CapturedMail[], total: number, keepBodies: boolean): string {
  const rows: string[] = [];
  for (let i = mails.length - 1; i >= 0 && rows.length < INDEX_ROWS; i--) {
    const m = mails[i];
    const id = encodeURIComponent(m.id);
    const links = [
      m.html !== null ? `<a href="/mails/${id}.html">html</a>` : "",
      m.text !== null ? `<a href="/mails/${id}.txt">text</a>` : "",
      `<a href="/mails/${id}">json</a>`,
    ]
      .filter(Boolean)
      .join(" · ");
    rows.push(
      `<tr><td><time datetime="${esc(m.receivedAt)}">${esc(m.receivedAt.replace("T", " ").replace(/\.\d+Z$/, "Z"))}</time></td>` +
        `<td>${m.html !== null ? `<a href="/mails/${id}.html">${esc(m.subject || "(no subject)")}</a>` : esc(m.subject || "(no subject)")}` +
        `${m.sandbox ? ' <span class="tag">sandbox</span>' : ""}</td>` +
        `<td>${esc(m.to.join(", "))}</td><td>${esc(m.fromName ? `${m.fromName} <${m.from}>` : m.from)}</td>` +
        `<td>${esc(m.categories.join(", "))}</td><td class="links">${links}</td></tr>`,
    );
  }
  const shown = rows.length;
  const note =
    `${total} mail${total === 1 ? "" : "s"} received` +
    (shown < total ? `, newest ${shown} shown` : "") +
    (keepBodies ? "" : " (metadata only: bodies not kept)");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parcelwise mail capture</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f5f5f5}.tag{font-size:11px;background:#fde68a;border-radius:3px;padding:0 4px}.links{white-space:nowrap}
.muted{color:#666}
</style></head><body>
<h1>Captured mail</h1>
<p class="muted">${esc(note)} · <a href="/">refresh</a> · <a href="/mails">JSON</a></p>
${
  shown === 0
    ? '<p>No mail captured yet. Point the mailer\'s <code>baseUrl</code> at this server.</p>'
    : `<table><thead><tr><th>Received</th><th>Subject</th><th>To</th><th>From</th><th>Categories</th><th></th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`
}
</body></html>
`;
}

function isRunDirectly(): boolean {
  const script = process.argv[1];
  if (!script || !/capture-server\.[cm]?[jt]s$/.test(script)) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isRunDirectly()) {
  const port = Number(process.env.PORT ?? 3025);
  const host = process.env.HOST ?? "127.0.0.1";
  const apiKey = process.env.CAPTURE_API_KEY || undefined;
  const server = await startCaptureServer({ port, host, apiKey });
  console.log(`SendGrid capture server listening on ${server.url}`);
  console.log(`  use it as the SendGrid baseUrl; browse ${server.url}/ to read captured mail`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
