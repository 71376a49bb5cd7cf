// Thin, testable wrapper around @sendgrid/mail: one call per message, every outcome mapped to a
// SendResult the notification pipeline can act on (retry, give up, mark the sender unverified).
//
// Notes on the official client (v8, axios-based), learnt the hard way:
// - Keep-alive agents go on the client's default request (`httpAgent`/`httpsAgent`, handed to axios as
//   they are): connections are reused and bounded whatever the Node version's global agent does.
// - `Client#setApiKey` resets `baseUrl` to the regional SendGrid host, so the base URL must be set
//   AFTER the key, on a client of our own (the package's default export is a shared singleton).
// - It has no retries and no timeout; `MailService#setTimeout` sets axios' `timeout` on the client.
//   axios' timeout is a socket-idle/connect timer, so a server that trickles bytes could outlive it:
//   we also race the whole call against a wall-clock guard.
// - `MailService#send` sends the mail's `headers` (List-Unsubscribe, ...) as HTTP request headers of
//   the API call too. A mail header named Authorization would replace our API key, Content-Type
//   would break the JSON request and a non-Latin-1 value makes Node throw. We validate them first.
// - Non-2xx answers reject with a ResponseError `{ code: status, response: { headers, body } }`;
//   network errors reject with the raw axios error, whose `config` holds the Authorization header:
//   never stringify or log those errors wholesale.
// - `replyTo: null` crashes the mail helper (it only skips `undefined`), so absent values are omitted.
// - Sandbox mode answers 200 OK (not 202), possibly without an X-Message-Id.
import http from "node:http";
import https from "node:https";
import { MailService } from "@sendgrid/mail";
import { Mail, Personalization } from "@sendgrid/helpers/classes";
import { randomBytes } from "node:crypto";
import type { ClientRequest } from "@sendgrid/client/src/request";
import { MINUTE_MS } from "~/time";
import { NodeHttpClient } from "./sendgrid-transport.server";

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
  /**
   * Several mails in one API request, a personalization each (its recipient, subject, headers, custom
   * args, and its bodies as substitutions: see sendMany below); one result per mail, in order. Mails
   * that cannot share a request (see canShareRequest) are sent on their own. Optional: a mailer
   * without it sends one request per mail.
   */
  sendMany?(mails: OutgoingMail[]): Promise<SendResult[]>;
}

/** SendGrid's limit on the substitutions of one personalization, in bytes. */
export const SUBSTITUTION_LIMIT_BYTES = 50_000;
/** Mails per request at most (SendGrid allows 1,000 personalizations; a failed request is retried whole). */
export const MAX_MAILS_PER_REQUEST = 50;

/** What one request's mails must have in common: all but the personalization's own fields. */
export function requestKey(mail: OutgoingMail): string {
  return JSON.stringify([mail.from.email, mail.from.name ?? null, mail.replyTo ?? null, mail.categories, !!mail.sandbox]);
}

/** A mail whose bodies fit in one personalization's substitutions. */
export function fitsPersonalization(mail: OutgoingMail): boolean {
  // UTF-8 is at most 3 bytes per UTF-16 unit: a cheap bound before counting exactly.
  const units = mail.html.length + mail.text.length;
  if (units * 3 + 200 <= SUBSTITUTION_LIMIT_BYTES) return true;
  return Buffer.byteLength(mail.html) + Buffer.byteLength(mail.text) + 200 <= SUBSTITUTION_LIMIT_BYTES;
}

export const SENDGRID_DEFAULT_BASE_URL = "https://api.sendgrid.com";
export const SENDGRID_DEFAULT_TIMEOUT_MS = 10_000;

/** Extra wall-clock allowance on top of the axios timeout before the guard gives up. */
const GUARD_GRACE_MS = 1_000;
/** Cap for rate-limit waits derived from headers (a bogus far-future reset must not park a job). */
const MAX_RETRY_AFTER_MS = 15 * MINUTE_MS;
/** Connections to SendGrid per mailer; the worker's concurrency (at most 128) stays at or below it. */
const MAX_SOCKETS = 128;

// Headers that would clobber the API request itself, because the client also sends mail headers
// as HTTP request headers (see above), plus SendGrid's reserved mail headers.
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
  "ERR_BAD_OPTION_VALUE",
  "ERR_BAD_OPTION",
  "ERR_INVALID_URL",
  "ERR_NOT_SUPPORT",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_FR_TOO_MANY_REDIRECTS",
  "ERR_CANCELED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

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
  let parsedBase: URL;
  try {
    parsedBase = new URL(baseUrl);
  } catch {
    throw new Error(`createSendGridMailer: invalid baseUrl ${JSON.stringify(baseUrl)}`);
  }
  const timeoutMs = opts.timeoutMs ?? SENDGRID_DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error("createSendGridMailer: timeoutMs must be a positive number");
  }

  const client = new NodeHttpClient(isLoopbackHost(parsedBase.hostname));
  client.setApiKey(apiKey); // resets baseUrl: must come before setDefaultRequest("baseUrl")
  client.setDefaultRequest("baseUrl", baseUrl);
  if (isLoopbackHost(parsedBase.hostname)) {
    // A local capture server must never be reached through an HTTP(S)_PROXY from the environment.
    client.setDefaultRequest({ proxy: false } as unknown as ClientRequest);
  }
  // Connections to SendGrid are kept alive and reused (axios opens one per request otherwise: a TCP and
  // TLS handshake per mail), never more than MAX_SOCKETS at once; the worker's concurrency stays below it.
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS };
  client.setDefaultRequest({ httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) } as unknown as ClientRequest);
  // SendGrid's mail endpoint never redirects: without following, axios posts on node:http itself rather
  // than through a redirect-following wrapper (a good share of the client's CPU per mail). A 3xx is then
  // an unexpected answer like any other non-2xx.
  client.setDefaultRequest({ maxRedirects: 0 } as unknown as ClientRequest);
  const service = new MailService();
  service.setClient(client);
  service.setTimeout(Math.ceil(timeoutMs)); // axios `timeout` on the client's default request

  const redact = (s: string): string => redactSecrets(s, apiKey);
  // A request's content is two substitution tags (sendMany): SendGrid's dash style, with a random part
  // per mailer so no mail's own text can contain one.
  const nonce = randomBytes(6).toString("hex");
  const [tagLeft, tagRight] = ["-parcelwise-", "-"];
  const [textTag, htmlTag] = [`text-${nonce}`, `html-${nonce}`];

  /** Posts one built Mail, racing the client's timeout against a wall-clock guard. */
  async function post(message: Mail): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs + GUARD_GRACE_MS);
      timer.unref?.();
    });
    try {
      const request = service.send(message as unknown as Parameters<MailService["send"]>[0]);
      request.catch(() => undefined); // the guard may win; never leave an unhandled rejection behind
      const outcome = await Promise.race([request, guard]);
      if (outcome === "timeout") {
        return { ok: false, retryable: true, status: null, error: `SendGrid request timed out after ${timeoutMs}ms` };
      }
      const [response] = outcome;
      const status = response.statusCode;
      const messageId = headerValue(response.headers, "x-message-id");
      if (status >= 200 && status < 300) return { ok: true, messageId, status };
      // The client only rejects on >= 400; anything else non-2xx (an unfollowed redirect...) lands here.
      return { ok: false, retryable: false, status, error: redact(`SendGrid answered unexpected HTTP ${status}`) };
    } catch (err) {
      return mapError(err, timeoutMs, redact);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** The parts of a Mail every mail of one request shares (requestKey). */
  function envelopeOf(mail: OutgoingMail): Mail {
    // Built with the client's Mail helper setters: MailService#send takes a Mail as it is, where a plain
    // object is first deep-cloned through JSON (the whole HTML once more per mail).
    const message = new Mail();
    message.setFrom(mail.from.name ? { email: mail.from.email, name: mail.from.name } : { email: mail.from.email });
    if (mail.replyTo) message.setReplyTo(mail.replyTo);
    if (mail.categories.length > 0) message.setCategories([...mail.categories]);
    if (mail.sandbox) message.setMailSettings({ sandboxMode: { enable: true } });
    return message;
  }

  async function send(mail: OutgoingMail): Promise<SendResult> {
    const headerProblem = checkMailHeaders(mail.headers);
    if (headerProblem) {
      return { ok: false, retryable: false, status: null, error: redact(headerProblem) };
    }
    const message = envelopeOf(mail);
    message.setSubject(mail.subject);
    message.addTextContent(mail.text);
    message.addHtmlContent(mail.html);
    if (Object.keys(mail.customArgs).length > 0) message.setCustomArgs({ ...mail.customArgs });
    if (mail.headers && Object.keys(mail.headers).length > 0) message.setHeaders({ ...mail.headers });
    message.addTo(mail.to, undefined as never, undefined as never);
    return post(message);
  }

  /**
   * One request for mails that share requestKey, distinct recipients and bodies within
   * SUBSTITUTION_LIMIT_BYTES (the caller groups them so; any that do not go on their own). Each mail is
   * a personalization with its recipient, subject, headers and custom args; the request's content is
   * two substitution tags, and each personalization substitutes its own text and HTML for them, so every
   * buyer receives exactly the mail rendered for them. SendGrid answers the request as a whole: one
   * X-Message-Id for all (each recipient's events carry it, and the custom args name the mail), one
   * error for all. A request refused as invalid (400, 413) is sent again mail by mail, so one bad mail
   * fails alone.
   */
  async function sendMany(mails: OutgoingMail[]): Promise<SendResult[]> {
    const results: (SendResult | undefined)[] = new Array(mails.length);
    const together: number[] = [];
    const seen = new Set<string>();
    const key = mails.length > 0 ? requestKey(mails[0]!) : "";
    mails.forEach((mail, i) => {
      const headerProblem = checkMailHeaders(mail.headers);
      if (headerProblem) {
        results[i] = { ok: false, retryable: false, status: null, error: redact(headerProblem) };
        return;
      }
      const recipient = mail.to.toLowerCase();
      if (requestKey(mail) === key && !seen.has(recipient) && fitsPersonalization(mail)) {
        seen.add(recipient);
        together.push(i);
      }
    });
    const shared = new Set(together);
    const alone = mails.map((_, i) => i).filter((i) => results[i] === undefined && !shared.has(i));
    if (together.length === 1) alone.unshift(together.pop()!);
    const singles = Promise.all(alone.map(async (i) => (results[i] = await send(mails[i]!))));
    if (together.length > 0) {
      const message = envelopeOf(mails[together[0]!]!);
      message.setSubstitutionWrappers([tagLeft, tagRight]);
      message.addTextContent(`${tagLeft}${textTag}${tagRight}`);
      message.addHtmlContent(`${tagLeft}${htmlTag}${tagRight}`);
      for (const i of together) {
        const mail = mails[i]!;
        const personalization = new Personalization();
        personalization.setTo(mail.to);
        personalization.setSubject(mail.subject);
        if (Object.keys(mail.customArgs).length > 0) personalization.setCustomArgs({ ...mail.customArgs });
        if (mail.headers && Object.keys(mail.headers).length > 0) personalization.setHeaders({ ...mail.headers });
        personalization.setSubstitutions({ [textTag]: mail.text, [htmlTag]: mail.html });
        message.addPersonalization(personalization as unknown as Parameters<Mail["addPersonalization"]>[0]);
      }
      const result = await post(message);
      if (!result.ok && (result.status === 400 || result.status === 413)) {
        await Promise.all(together.map(async (i) => (results[i] = await send(mails[i]!))));
      } else {
        for (const i of together) results[i] = result;
      }
    }
    await singles;
    return results as SendResult[];
  }

  return { send, sendMany };
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
  response?: { status?: unknown; headers?: unknown; body?: unknown; data?: unknown };
  errors?: unknown;
  cause?: unknown;
}

function mapError(err: unknown, timeoutMs: number, redact: (s: string) => string): SendResult {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  const response = e.response;

  // HTTP error: ResponseError from @sendgrid/helpers ({ code: status, response: { headers, body } }),
  // or a raw axios error with a response (status < 400 the client doesn't wrap).
  const status =
    typeof e.code === "number" && response
      ? e.code
      : response && typeof response.status === "number"
        ? response.status
        : null;
  if (status !== null && response) {
    const body = response.body !== undefined ? response.body : response.data;
    const headers = response.headers;
    const detail = sendGridErrorMessages(body);
    const error = redact(`SendGrid HTTP ${status}${detail ? `: ${detail}` : ""}`);
    if (status === 429) {
      const retryAfterMs = retryAfterFromHeaders(headers);
      return retryAfterMs === undefined
        ? { ok: false, retryable: true, status, error }
        : { ok: false, retryable: true, status, error, retryAfterMs };
    }
    if (status >= 500) return { ok: false, retryable: true, status, error };
    return { ok: false, retryable: false, status, error };
  }

  const code = networkCode(e);
  const message = typeof e.message === "string" ? e.message : "";
  if (/timeout/i.test(message) || code === "ECONNABORTED" || code === "ETIMEDOUT") {
    return { ok: false, retryable: true, status: null, error: `SendGrid request timed out after ${timeoutMs}ms` };
  }
  const isNetwork =
    code !== null || (typeof err === "object" && err !== null && (err as { isAxiosError?: unknown }).isAxiosError === true);
  if (isNetwork) {
    const retryable = code === null || !NON_RETRYABLE_NETWORK_CODES.has(code);
    const text = code && message.includes(code) ? message : [code, message].filter(Boolean).join(" ");
    return { ok: false, retryable, status: null, error: redact(`SendGrid request failed: ${text || "network error"}`) };
  }

  // Thrown before any request went out (the client's own validation of the mail data): a bug in the
  // message we built, so retrying can't help.
  const text = message || (err instanceof Error ? err.name : String(err));
  return { ok: false, retryable: false, status: null, error: redact(`SendGrid request rejected locally: ${text}`) };
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

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}
