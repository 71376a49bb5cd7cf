// Thin, testable SendGrid mailer: one POST /v3/mail/send per message, every outcome mapped to a
// SendResult the notification pipeline can act on (retry, give up, mark the sender unverified).
//
// It speaks the v3 API over node:http(s) itself instead of through @sendgrid/mail: on the worker's hot
// path the official client (axios, follow-redirects, a JSON round trip of every mail to clone it) cost
// 0.6–1 ms of CPU per mail, five to eight times this request, and capped sending near 1,000 mails/s per
// core. The body is the one the official helper builds (sendgrid.test.ts compares them).
// - One keep-alive agent per mailer: connections to SendGrid are reused, and never more than
//   MAX_SOCKETS at once (the worker's WORKER_CONCURRENCY bounds the mails in flight below that).
// - A socket-idle timeout, and a wall-clock guard on the whole call, since a server that trickles
//   bytes would outlive the idle timer; either way the request is destroyed and the send is retryable.
// - A request that fails on a reused keep-alive socket before any answer (SendGrid closed the idle
//   connection as we wrote) is tried once more on a fresh one: nothing reached SendGrid.
// - Mail headers (List-Unsubscribe, ...) go in the body only; they are still checked first, as
//   SendGrid refuses its reserved headers and values that are not printable ASCII.
// - Never stringify or log request options or raw errors wholesale: the Authorization header holds
//   the key. Every error string passes through redact().
// - Sandbox mode answers 200 OK (not 202), possibly without an X-Message-Id.
import http from "node:http";
import https from "node:https";
import { MINUTE_MS } from "~/time";

export interface OutgoingMail {
  to: string;
  from: { email: string; name?: string };
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  categories: string[];
  customArgs: Record<string, string>;
  headers?: Record<string, string>;
  sandbox?: boolean;
}

export type SendResult =
  | { ok: true; messageId: string | null; status: number }
  | { ok: false; retryable: boolean; status: number | null; error: string; retryAfterMs?: number };

export interface Mailer {
  send(mail: OutgoingMail): Promise<SendResult>;
}

export const SENDGRID_DEFAULT_BASE_URL = "https://api.sendgrid.com";
export const SENDGRID_DEFAULT_TIMEOUT_MS = 10_000;

/** Extra wall-clock allowance on top of the idle timeout before the guard gives up. */
const GUARD_GRACE_MS = 1_000;
/** Cap for rate-limit waits derived from headers (a bogus far-future reset must not park a job). */
const MAX_RETRY_AFTER_MS = 15 * MINUTE_MS;
/** Connections to SendGrid per mailer; the worker's concurrency (at most 128) stays at or below it. */
const MAX_SOCKETS = 128;
/** What is read of an answer's body (SendGrid's error bodies are a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

// SendGrid's reserved mail headers, and names that only make sense on the API request itself
// (refused so that a template or setting cannot smuggle them in).
const FORBIDDEN_MAIL_HEADERS = new Set([
  "authorization",
  "content-type",
  "content-length",
  "content-transfer-encoding",
  "transfer-encoding",
  "connection",
  "host",
  "accept",
  "user-agent",
  "on-behalf-of",
  "x-sg-id",
  "x-sg-eid",
  "received",
  "dkim-signature",
  "to",
  "from",
  "subject",
  "reply-to",
  "cc",
  "bcc",
]);
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_RE = /^[\t\x20-\x7e]*$/;

const NON_RETRYABLE_NETWORK_CODES = new Set([
  "ERR_INVALID_URL",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/** "Name <address>" or a bare address, as SendGrid's helper reads them. */
function address(value: string): { email: string; name?: string } {
  if (!value.includes("<")) return { email: value };
  const [name = "", email = ""] = value.split("<");
  return name.trim() ? { email: email.replace(">", "").trim(), name: name.trim() } : { email: email.replace(">", "").trim() };
}

/** The v3 mail/send body of `mail`, field for field what @sendgrid/mail sends. */
export function mailSendBody(mail: OutgoingMail): Record<string, unknown> {
  const body: Record<string, unknown> = {
    from: mail.from.name ? { email: mail.from.email, name: mail.from.name } : { email: mail.from.email },
    subject: mail.subject,
    personalizations: [{ to: [address(mail.to)] }],
  };
  const categories = mail.categories.filter((c) => c !== "");
  if (categories.length > 0) body.categories = categories;
  // text/plain first, then text/html, as SendGrid requires.
  body.content = [
    { type: "text/plain", value: mail.text },
    { type: "text/html", value: mail.html },
  ];
  if (mail.headers && Object.keys(mail.headers).length > 0) body.headers = { ...mail.headers };
  if (mail.sandbox) body.mail_settings = { sandbox_mode: { enable: true } };
  if (Object.keys(mail.customArgs).length > 0) body.custom_args = { ...mail.customArgs };
  if (mail.replyTo) body.reply_to = address(mail.replyTo);
  return body;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function createSendGridMailer(opts: {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
}): Mailer {
  const apiKey = opts.apiKey;
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new Error("createSendGridMailer: apiKey is required");
  }
  const baseUrl = opts.baseUrl ?? SENDGRID_DEFAULT_BASE_URL;
  let endpoint: URL;
  try {
    endpoint = new URL(`${baseUrl.replace(/\/+$/, "")}/v3/mail/send`);
  } catch {
    throw new Error(`createSendGridMailer: invalid baseUrl ${JSON.stringify(baseUrl)}`);
  }
  if (endpoint.protocol !== "https:" && endpoint.protocol !== "http:") {
    throw new Error(`createSendGridMailer: invalid baseUrl ${JSON.stringify(baseUrl)}`);
  }
  const timeoutMs = opts.timeoutMs ?? SENDGRID_DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error("createSendGridMailer: timeoutMs must be a positive number");
  }
  const secure = endpoint.protocol === "https:";
  const transport = secure ? https : http;
  // Idle keep-alive sockets are unref'd by the agent: they never keep a stopping process alive.
  const agent = new transport.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const target = {
    protocol: endpoint.protocol,
    hostname: endpoint.hostname.replace(/^\[|\]$/g, ""),
    port: endpoint.port || undefined,
    path: `${endpoint.pathname}${endpoint.search}`,
  };
  const authorization = `Bearer ${apiKey}`;

  const redact = (s: string): string => redactSecrets(s, apiKey);

  /** One POST; rejects with the request's error (network, timeout), resolves with any HTTP answer. */
  function post(payload: Buffer, deadline: number, retried = false): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      let answered = false;
      const request = transport.request(
        {
          ...target,
          method: "POST",
          agent,
          headers: {
            Accept: "application/json",
            "Content-Type": "application/json",
            "Content-Length": payload.length,
            Authorization: authorization,
            "User-Agent": "parcelwise",
          },
        },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
          response.on("error", reject);
          // Closed before its end (a no-op once resolved).
          response.on("close", () => reject(Object.assign(new Error("the answer was cut short"), { code: "ECONNRESET" })));
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { code: "ETIMEDOUT" })));
      request.on("error", (error: NodeJS.ErrnoException) => {
        // SendGrid closed an idle keep-alive connection as we reused it: nothing reached it, try a fresh one.
        if (!answered && !retried && request.reusedSocket && error.code === "ECONNRESET" && Date.now() < deadline) {
          post(payload, deadline, true).then(resolve, reject);
          return;
        }
        reject(error);
      });
      request.end(payload);
    });
  }

  async function send(mail: OutgoingMail): Promise<SendResult> {
    const headerProblem = checkMailHeaders(mail.headers);
    if (headerProblem) {
      return { ok: false, retryable: false, status: null, error: redact(headerProblem) };
    }
    let payload: Buffer;
    try {
      payload = Buffer.from(JSON.stringify(mailSendBody(mail)), "utf8");
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      return { ok: false, retryable: false, status: null, error: redact(`SendGrid request rejected locally: ${text}`) };
    }

    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs + GUARD_GRACE_MS);
      timer.unref?.();
    });
    try {
      const request = post(payload, Date.now() + timeoutMs);
      request.catch(() => undefined); // the guard may win; never leave an unhandled rejection behind
      const outcome = await Promise.race([request, guard]);
      if (outcome === "timeout") {
        return { ok: false, retryable: true, status: null, error: `SendGrid request timed out after ${timeoutMs}ms` };
      }
      return mapAnswer(outcome, redact);
    } catch (err) {
      return mapNetworkError(err, timeoutMs, redact);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  return { send };
}

function checkMailHeaders(headers: Record<string, string> | undefined): string | null {
  if (!headers) return null;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME_RE.test(name)) return `Invalid mail header name ${JSON.stringify(name)}`;
    if (FORBIDDEN_MAIL_HEADERS.has(name.toLowerCase())) return `Mail header ${name} is reserved and cannot be set`;
    if (typeof value !== "string" || !HEADER_VALUE_RE.test(value)) {
      return `Mail header ${name} must be printable ASCII (encode non-ASCII values per RFC 2047)`;
    }
  }
  return null;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** An HTTP answer: 2xx accepted; 429 waits for the reset; 5xx retries; anything else is final. */
function mapAnswer(answer: Answer, redact: (s: string) => string): SendResult {
  const { status, headers } = answer;
  if (status >= 200 && status < 300) return { ok: true, messageId: headerValue(headers, "x-message-id"), status };
  if (status < 400) return { ok: false, retryable: false, status, error: redact(`SendGrid answered unexpected HTTP ${status}`) };
  const detail = sendGridErrorMessages(answer.body);
  const error = redact(`SendGrid HTTP ${status}${detail ? `: ${detail}` : ""}`);
  if (status === 429) {
    const retryAfterMs = retryAfterFromHeaders(headers);
    return retryAfterMs === undefined ? { ok: false, retryable: true, status, error } : { ok: false, retryable: true, status, error, retryAfterMs };
  }
  if (status >= 500) return { ok: false, retryable: true, status, error };
  return { ok: false, retryable: false, status, error };
}

/** No answer: a timeout or a network error, retryable unless it is one a retry cannot fix. */
function mapNetworkError(err: unknown, timeoutMs: number, redact: (s: string) => string): SendResult {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  const code = networkCode(e);
  const message = typeof e.message === "string" ? e.message : "";
  if (/timeout/i.test(message) || code === "ECONNABORTED" || code === "ETIMEDOUT") {
    return { ok: false, retryable: true, status: null, error: `SendGrid request timed out after ${timeoutMs}ms` };
  }
  const retryable = code === null || !NON_RETRYABLE_NETWORK_CODES.has(code);
  const text = code && message.includes(code) ? message : [code, message].filter(Boolean).join(" ");
  return { ok: false, retryable, status: null, error: redact(`SendGrid request failed: ${text || "network error"}`) };
}

function networkCode(e: ErrorLike): string | null {
  if (typeof e.code === "string" && e.code) return e.code;
  // Node wraps happy-eyeballs failures in an AggregateError whose own message is empty.
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = (inner as ErrorLike | null)?.code;
      if (typeof c === "string" && c) return c;
    }
  }
  const cause = e.cause as ErrorLike | undefined;
  if (cause && typeof cause.code === "string" && cause.code) return cause.code;
  return null;
}

/** SendGrid error bodies look like {"errors":[{"message":"...","field":"...","help":...}]}. */
function sendGridErrorMessages(body: unknown): string {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 500);
    }
  }
  if (typeof parsed !== "object" || parsed === null) return "";
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return "";
  return errors
    .map((item) => {
      const entry = (item ?? {}) as { message?: unknown; field?: unknown };
      const message = typeof entry.message === "string" ? entry.message : "";
      const field = typeof entry.field === "string" && entry.field ? ` (field: ${entry.field})` : "";
      return message ? `${message}${field}` : "";
    })
    .filter(Boolean)
    .join("; ");
}

function headerValue(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== "object") return null;
  const h = headers as Record<string, unknown> & { get?: (n: string) => unknown };
  let value: unknown;
  if (typeof h.get === "function") {
    try {
      value = h.get(name);
    } catch {
      value = undefined;
    }
  }
  if (value === undefined || value === null) {
    const key = Object.keys(h).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : h[key];
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value : null;
}

function retryAfterFromHeaders(headers: unknown, now = Date.now()): number | undefined {
  const reset = headerValue(headers, "x-ratelimit-reset");
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const ms = Number(reset) * 1000 - now;
    if (ms > 0) return Math.min(Math.ceil(ms), MAX_RETRY_AFTER_MS);
  }
  const retryAfter = headerValue(headers, "retry-after");
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Math.ceil(Number(trimmed) * 1000), MAX_RETRY_AFTER_MS);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
  }
  // A reset already in the past (clock skew): the window has rolled over, retry promptly.
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) return 0;
  return undefined;
}

function redactSecrets(text: string, apiKey: string): string {
  let out = text;
  if (apiKey) out = out.split(apiKey).join("[redacted]");
  return out.replace(/SG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[redacted]").replace(/Bearer\s+\S+/gi, "Bearer [redacted]");
}
