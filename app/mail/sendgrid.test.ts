// The real SendGrid mailer (official client) against the real capture server, over HTTP on loopback.
// Nothing here may reach SendGrid's real host: every mailer gets an explicit 127.0.0.1 baseUrl.
import http from "node:http";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer, SENDGRID_DEFAULT_BASE_URL, type OutgoingMail, type SendResult } from "./sendgrid.server";

const API_KEY = "SG.parcelwise-test-key.0123456789abcdefghijklmnop";

let capture: CaptureServer;
const seenErrors: string[] = [];

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: "buyer@example.com",
    from: { email: "shop@example.com", name: "Maple & Co" },
    replyTo: "support@example.com",
    subject: "Your order #1001 has shipped",
    html: "<p>Hello Ana, your parcel is on its way.</p>",
    text: "Hello Ana, your parcel is on its way.",
    categories: ["parcelwise", "shipping_confirmation"],
    customArgs: { shop: "maple.myshopify.com", message_id: "msg_123" },
    headers: { "List-Unsubscribe": "<https://app.example.com/u/abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    ...overrides,
  };
}

function mailer(opts: { apiKey?: string; baseUrl?: string; timeoutMs?: number } = {}) {
  return createSendGridMailer({ apiKey: opts.apiKey ?? API_KEY, baseUrl: opts.baseUrl ?? capture.url, timeoutMs: opts.timeoutMs ?? 5_000 });
}

/** Narrow to the failure branch, remembering its error string for the key-leak check. */
function failure(result: SendResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  seenErrors.push(result.error);
  expect(result.error).not.toContain(API_KEY);
  return result;
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  capture = await startCaptureServer({ apiKey: API_KEY });
});
afterEach(() => capture.clear());
afterAll(async () => {
  await capture.close();
});

describe("createSendGridMailer against the capture server", () => {
  it("sends a mail: 202 with the X-Message-Id, recorded by the server", async () => {
    const result = await mailer().send(mail());
    expect(result).toEqual({ ok: true, status: 202, messageId: expect.any(String) });
    if (!result.ok) return;
    expect(result.messageId).not.toBe("");
    expect(capture.mails).toHaveLength(1);
    expect(capture.mails[0].id).toBe(result.messageId);
    expect(capture.count).toBe(1);
  });

  it("maps every field into the v3 payload", async () => {
    const result = await mailer().send(mail());
    expect(result.ok).toBe(true);
    const [captured] = capture.mails;
    expect(captured).toMatchObject({
      to: ["buyer@example.com"],
      from: "shop@example.com",
      fromName: "Maple & Co",
      replyTo: "support@example.com",
      subject: "Your order #1001 has shipped",
      html: "<p>Hello Ana, your parcel is on its way.</p>",
      text: "Hello Ana, your parcel is on its way.",
      categories: ["parcelwise", "shipping_confirmation"],
      customArgs: { shop: "maple.myshopify.com", message_id: "msg_123" },
      headers: {
        "List-Unsubscribe": "<https://app.example.com/u/abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      sandbox: false,
    });
    const raw = captured.raw as Record<string, unknown>;
    expect(raw.from).toEqual({ email: "shop@example.com", name: "Maple & Co" });
    expect(raw.reply_to).toEqual({ email: "support@example.com" });
    expect(raw.personalizations).toEqual([{ to: [{ email: "buyer@example.com" }] }]);
    // text/plain first, then text/html, as SendGrid requires
    expect(raw.content).toEqual([
      { type: "text/plain", value: "Hello Ana, your parcel is on its way." },
      { type: "text/html", value: "<p>Hello Ana, your parcel is on its way.</p>" },
    ]);
    expect(raw.custom_args).toEqual({ shop: "maple.myshopify.com", message_id: "msg_123" });
    expect(raw).not.toHaveProperty("mail_settings");
  });

  it("omits absent optional fields (null reply-to, no categories/args/headers, no sender name)", async () => {
    const result = await mailer().send(
      mail({ replyTo: null, categories: [], customArgs: {}, headers: undefined, from: { email: "shop@example.com" } }),
    );
    expect(result.ok).toBe(true);
    const raw = capture.mails[0].raw as Record<string, unknown>;
    expect(raw).not.toHaveProperty("reply_to");
    expect(raw).not.toHaveProperty("categories");
    expect(raw).not.toHaveProperty("custom_args");
    expect(raw).not.toHaveProperty("headers");
    expect(raw.from).toEqual({ email: "shop@example.com" });
    expect(capture.mails[0].replyTo).toBeNull();
  });

  it("sets mail_settings.sandbox_mode.enable in sandbox mode (SendGrid answers 200, not 202)", async () => {
    const result = await mailer().send(mail({ sandbox: true }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    const raw = capture.mails[0].raw as Record<string, unknown>;
    expect(raw.mail_settings).toEqual({ sandbox_mode: { enable: true } });
    expect(capture.mails[0].sandbox).toBe(true);
  });

  it("429 is retryable, with retryAfterMs derived from X-RateLimit-Reset", async () => {
    capture.failNext(429, 1, { retryAfterSeconds: 30 });
    const result = failure(await mailer().send(mail()));
    expect(result).toMatchObject({ retryable: true, status: 429 });
    // Reset is whole epoch seconds, rounded up by the server: between 29 and 31 seconds from now.
    expect(result.retryAfterMs).toBeGreaterThanOrEqual(29_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(31_000);
    expect(capture.mails).toHaveLength(0);

    // The failure was one-shot: the next send goes through.
    expect((await mailer().send(mail())).ok).toBe(true);
  });

  it("500 is retryable", async () => {
    capture.failNext(500);
    const result = failure(await mailer().send(mail()));
    expect(result).toMatchObject({ retryable: true, status: 500 });
    expect(result.error).toContain("Internal server error");
  });

  it("failNext(status, count) fails exactly that many sends", async () => {
    capture.failNext(503, 2);
    const m = mailer();
    expect(failure(await m.send(mail()))).toMatchObject({ retryable: true, status: 503 });
    expect(failure(await m.send(mail()))).toMatchObject({ retryable: true, status: 503 });
    expect(await m.send(mail())).toMatchObject({ ok: true, status: 202 });
  });

  it("400 is not retryable and carries SendGrid's error message", async () => {
    capture.failNext(400, 1, { message: "The custom_args field is too large." });
    const result = failure(await mailer().send(mail()));
    expect(result).toMatchObject({ retryable: false, status: 400 });
    expect(result.error).toContain("The custom_args field is too large.");
  });

  it("a payload SendGrid would reject is a 400 with its field-level messages", async () => {
    const result = failure(await mailer().send(mail({ to: "not-an-email" })));
    expect(result).toMatchObject({ retryable: false, status: 400 });
    expect(result.error).toContain("Does not contain a valid address.");
    expect(result.error).toContain("personalizations.0.to.0.email");
    expect(capture.mails).toHaveLength(0);
  });

  it("403 (sender identity not verified) is not retryable", async () => {
    capture.failNext(403);
    const result = failure(await mailer().send(mail()));
    expect(result).toMatchObject({ retryable: false, status: 403 });
    expect(result.error).toContain("verified Sender Identity");
  });

  it("a wrong API key gets 401, not retryable, and the key is not echoed", async () => {
    const wrongKey = "SG.wrong-key-for-test.zyxwvutsrqponmlkjihgfedcba";
    const result = failure(await mailer({ apiKey: wrongKey }).send(mail()));
    expect(result).toMatchObject({ retryable: false, status: 401 });
    expect(result.error).toContain("authorization grant is invalid");
    expect(result.error).not.toContain(wrongKey);
    expect(capture.mails).toHaveLength(0);
  });

  it("connection refused (closed port) is retryable", async () => {
    const port = await closedPort();
    const result = failure(await mailer({ baseUrl: `http://127.0.0.1:${port}` }).send(mail()));
    expect(result).toMatchObject({ retryable: true, status: null });
    expect(result.error).toContain("ECONNREFUSED");
  });

  it("a hung server is a retryable timeout within the configured timeout", async () => {
    capture.hangNext();
    const started = Date.now();
    const result = failure(await mailer({ timeoutMs: 300 }).send(mail()));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ retryable: true, status: null });
    expect(result.error).toMatch(/timed out/);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    expect(capture.mails).toHaveLength(0);

    // The hang was one-shot.
    expect((await mailer({ timeoutMs: 2_000 }).send(mail())).ok).toBe(true);
  });

  /** A one-route HTTP server answering every request with `answer`; what it was asked is kept. */
  async function answering(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
    const asked: { url: string; body: string; headers: http.IncomingHttpHeaders }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        asked.push({ url: req.url ?? "", body, headers: req.headers });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return { url, asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it("a 429 with only Retry-After (no reset header) waits that long", async () => {
    const server = await answering((_req, res) => res.writeHead(429, { "Retry-After": "12", "Content-Type": "application/json" }).end(JSON.stringify({ errors: [{ message: "too many requests" }] })));
    try {
      const result = failure(await mailer({ baseUrl: server.url }).send(mail()));
      expect(result).toMatchObject({ retryable: true, status: 429, retryAfterMs: 12_000 });
      expect(result.error).toContain("too many requests");
    } finally {
      await server.close();
    }
  });

  it("a redirect is not followed: an unexpected answer, not retried, the mail not posted elsewhere", async () => {
    const server = await answering((_req, res) => res.writeHead(307, { Location: `${capture.url}/v3/mail/send` }).end());
    try {
      const result = failure(await mailer({ baseUrl: server.url }).send(mail()));
      expect(result).toMatchObject({ retryable: false, status: 307 });
      expect(server.asked).toHaveLength(1);
      expect(capture.mails).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("posts the v3 JSON with the client's headers: Bearer key, JSON content type, the mail's own headers", async () => {
    const server = await answering((_req, res) => res.writeHead(202, { "X-Message-Id": "direct-1" }).end());
    try {
      expect(await mailer({ baseUrl: server.url }).send(mail())).toEqual({ ok: true, messageId: "direct-1", status: 202 });
      const [asked] = server.asked;
      expect(asked!.url).toBe("/v3/mail/send");
      expect(asked!.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, "content-type": "application/json", "list-unsubscribe": "<https://app.example.com/u/abc>" });
      expect(asked!.headers["user-agent"]).toMatch(/^sendgrid\//);
      expect(Number(asked!.headers["content-length"])).toBe(Buffer.byteLength(asked!.body));
      expect(JSON.parse(asked!.body)).toMatchObject({ subject: "Your order #1001 has shipped", personalizations: [{ to: [{ email: "buyer@example.com" }] }] });
    } finally {
      await server.close();
    }
  });

  it("with a proxy in the environment, a remote SendGrid is reached through it (the client's axios path honours it)", async () => {
    const proxy = await answering((_req, res) => res.writeHead(202, { "X-Message-Id": "via-proxy" }).end());
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxy.url;
    try {
      const result = await mailer({ baseUrl: "http://sendgrid.example.invalid" }).send(mail());
      expect(result).toEqual({ ok: true, messageId: "via-proxy", status: 202 });
      // A proxy is asked for the absolute URL.
      expect(proxy.asked[0]!.url).toBe("http://sendgrid.example.invalid/v3/mail/send");
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
      await proxy.close();
    }
  });

  it("a mail header that would clobber the API request is refused locally, not sent", async () => {
    const result = failure(await mailer().send(mail({ headers: { Authorization: "Bearer something-else" } })));
    expect(result).toMatchObject({ retryable: false, status: null });
    const nonAscii = failure(await mailer().send(mail({ headers: { "X-Note": "café ✓" } })));
    expect(nonAscii).toMatchObject({ retryable: false, status: null });
    expect(capture.count).toBe(0);
  });

  it("defaults to SendGrid's public host but never uses it here", () => {
    expect(SENDGRID_DEFAULT_BASE_URL).toBe("https://api.sendgrid.com");
    expect(() => createSendGridMailer({ apiKey: "" })).toThrow(/apiKey/);
  });

  it("never puts the API key in any error string", async () => {
    // Every failure path again, in one place, plus everything collected by the tests above.
    const m = mailer({ timeoutMs: 300 });
    capture.failNext(429);
    failure(await m.send(mail()));
    capture.failNext(500);
    failure(await m.send(mail()));
    capture.failNext(400);
    failure(await m.send(mail()));
    capture.failNext(403);
    failure(await m.send(mail()));
    capture.hangNext();
    failure(await m.send(mail()));
    failure(await mailer({ baseUrl: `http://127.0.0.1:${await closedPort()}` }).send(mail()));
    failure(await m.send(mail({ headers: { Authorization: `Bearer ${API_KEY}` } })));
    expect(seenErrors.length).toBeGreaterThanOrEqual(7);
    for (const error of seenErrors) {
      expect(error).not.toContain(API_KEY);
      expect(error).not.toMatch(/SG\.[\w-]{8,}\.[\w-]{8,}/);
    }
  });
});

describe("several mails in one request (sendMany)", () => {
  const buyers = ["ana@example.com", "ben@example.de", "chloe@example.fr"];
  const many = () =>
    buyers.map((to, i) =>
      mail({
        to,
        subject: `Your order #${1001 + i} has shipped`,
        html: `<p>Hello ${to}, -parcel- $& $1 {{name}} parcel ${i}</p>`,
        text: `Hello ${to}, parcel ${i}`,
        customArgs: { shop: "maple.myshopify.com", notification_id: `n${i}` },
        headers: { "List-Unsubscribe": `<https://app.example.com/u/${i}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      }),
    );

  it("posts one request, a personalization per mail: each buyer receives exactly their own mail", async () => {
    const mails = many();
    const results = await mailer().sendMany!(mails);
    expect(capture.requests).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const id = (results[0] as { messageId: string }).messageId;
    expect(results.every((r) => r.ok && r.messageId === id)).toBe(true);
    expect(capture.mails).toHaveLength(3);
    for (const [i, sent] of mails.entries()) {
      const got = capture.mails.find((m) => m.to[0] === sent.to)!;
      expect(got).toMatchObject({ id, to: [sent.to], subject: sent.subject, html: sent.html, text: sent.text, customArgs: sent.customArgs, headers: sent.headers });
      expect(got.customArgs.notification_id).toBe(`n${i}`);
    }
    const raw = capture.mails[0]!.raw as { personalizations: { substitutions: Record<string, string> }[]; content: { value: string }[] };
    expect(raw.personalizations).toHaveLength(3);
    // The shared content is the two tags alone: no buyer's text is outside their own personalization.
    expect(raw.content.map((c) => c.value).join(" ")).not.toContain("Hello");
    expect(Object.values(raw.personalizations[1]!.substitutions)).toEqual(expect.arrayContaining([mails[1]!.html, mails[1]!.text]));
  });

  it("a recipient twice, another sender, or bodies over SendGrid's substitution limit go in requests of their own", async () => {
    const mails = [...many(), mail({ to: "ANA@example.com" }), mail({ to: "dan@example.com", from: { email: "other@example.com" } }), mail({ to: "eve@example.com", html: `<p>${"x".repeat(60_000)}</p>` })];
    const results = await mailer().sendMany!(mails);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(capture.requests).toBe(4);
    expect(capture.count).toBe(6);
    expect(capture.mails.find((m) => m.to[0] === "eve@example.com")!.html).toBe(mails[5]!.html);
  });

  it("a request refused as a whole (400) is sent again mail by mail, so only a bad mail fails", async () => {
    capture.failNext(400);
    const results = await mailer().sendMany!(many());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(capture.requests).toBe(3);
    expect(new Set(results.map((r) => r.ok && r.messageId)).size).toBe(3);
  });

  it("a 5xx or a 429 is every mail's answer, retryable", async () => {
    capture.failNext(503);
    const results = await mailer().sendMany!(many());
    expect(results.map((r) => !r.ok && r.retryable && r.status)).toEqual([503, 503, 503]);
    expect(capture.count).toBe(0);
    capture.failNext(429, 1, { retryAfterSeconds: 5 });
    const limited = await mailer().sendMany!(many());
    expect(limited.every((r) => !r.ok && r.status === 429 && (r.retryAfterMs ?? 0) > 1000)).toBe(true);
  });

  it("a mail with a header that would clobber the request fails alone; the others go", async () => {
    const mails = many();
    mails[1] = { ...mails[1]!, headers: { Authorization: "Bearer x" } };
    const results = await mailer().sendMany!(mails);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(capture.mails.map((m) => m.to[0]).sort()).toEqual([buyers[0], buyers[2]]);
  });
});

describe("connections", () => {
  it("keeps connections alive: 60 mails, 6 at a time, over at most 6 connections", async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(202, { "X-Message-Id": `m${connections}`, "Content-Length": "0" }).end());
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const m = mailer({ baseUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` });
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all(Array.from({ length: 6 }, () => m.send(mail())));
        expect(results.every((r) => r.ok)).toBe(true);
      }
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(connections).toBeLessThanOrEqual(6);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("capture server", () => {
  it("validates the v3 body like SendGrid (400 with errors[].message/field)", async () => {
    const res = await fetch(`${capture.url}/v3/mail/send`, {
      method: "POST",
      headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ personalizations: [], content: [{ type: "text/html", value: "<p>x</p>" }, { type: "text/plain", value: "x" }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string; field: string | null }[] };
    const fields = body.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["personalizations", "from.email", "subject", "content"]));
    expect(body.errors.every((e) => typeof e.message === "string" && e.message.length > 0)).toBe(true);
  });

  it("refuses what SendGrid refuses in personalizations: a recipient twice, substitutions over 50,000 bytes", async () => {
    const post = (body: unknown) => fetch(`${capture.url}/v3/mail/send`, { method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const base = { from: { email: "shop@example.com" }, subject: "s", content: [{ type: "text/plain", value: "-t-" }] };
    const twice = await post({ ...base, personalizations: [{ to: [{ email: "a@example.com" }] }, { to: [{ email: "A@example.com" }] }] });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(await twice.json())).toContain("unique");
    const big = await post({ ...base, personalizations: [{ to: [{ email: "a@example.com" }], substitutions: { "-t-": "x".repeat(50_001) } }] });
    expect(big.status).toBe(400);
    const fine = await post({ ...base, personalizations: [{ to: [{ email: "a@example.com" }], substitutions: { "-t-": "ok" } }, { to: [{ email: "b@example.com" }], substitutions: { "-t-": "-t- $& fine" } }] });
    expect(fine.status).toBe(202);
    expect(capture.mails.map((m) => m.text)).toEqual(["ok", "-t- $& fine"]);
  });

  it("requires the Bearer key when configured", async () => {
    const res = await fetch(`${capture.url}/v3/mail/send`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it("serves the captured mails to people: index, JSON list, JSON, .html and .txt", async () => {
    const first = await mailer().send(mail({ subject: "First <one>" }));
    const second = await mailer().send(mail({ subject: "Second", html: "<p>Second body</p>", text: "Second text" }));
    if (!first.ok || !second.ok) throw new Error("sends failed");

    const index = await fetch(`${capture.url}/`);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    const html = await index.text();
    expect(html).toContain("First &lt;one&gt;"); // escaped
    expect(html.indexOf("Second")).toBeLessThan(html.indexOf("First &lt;one&gt;")); // newest first
    expect(html).toContain(`/mails/${second.messageId}.html`);

    const list = (await (await fetch(`${capture.url}/mails`)).json()) as { id: string; subject: string }[];
    expect(list.map((m) => m.id)).toEqual([second.messageId, first.messageId]);
    expect(list[0]).not.toHaveProperty("raw");

    const one = (await (await fetch(`${capture.url}/mails/${second.messageId}`)).json()) as { subject: string; raw: unknown };
    expect(one.subject).toBe("Second");
    expect(one.raw).toBeTruthy();

    const body = await fetch(`${capture.url}/mails/${second.messageId}.html`);
    expect(body.headers.get("content-type")).toMatch(/text\/html/);
    expect(await body.text()).toBe("<p>Second body</p>");
    expect(await (await fetch(`${capture.url}/mails/${second.messageId}.txt`)).text()).toBe("Second text");
    expect((await fetch(`${capture.url}/mails/nope`)).status).toBe(404);
  });

  it("keeps only metadata when keepBodies is false, and can cap the list", async () => {
    const lean = await startCaptureServer({ keepBodies: false, maxMails: 2 });
    try {
      const m = createSendGridMailer({ apiKey: API_KEY, baseUrl: lean.url, timeoutMs: 5_000 });
      for (let i = 0; i < 3; i++) expect((await m.send(mail({ subject: `n${i}` }))).ok).toBe(true);
      expect(lean.count).toBe(3);
      expect(lean.mails.map((x) => x.subject)).toEqual(["n1", "n2"]);
      expect(lean.mails[0]).toMatchObject({ html: null, text: null, raw: null, customArgs: { message_id: "msg_123" } });
      await lean.waitForCount(3, 100);
      expect((await fetch(`${lean.url}/mails/${lean.mails[0].id}.html`)).status).toBe(404);
    } finally {
      await lean.close();
    }
  });

  it("close() returns promptly even with a hung request outstanding", async () => {
    const s = await startCaptureServer();
    s.hangNext();
    const pending = createSendGridMailer({ apiKey: API_KEY, baseUrl: s.url, timeoutMs: 5_000 }).send(mail());
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    const result = failure(await pending);
    expect(result.retryable).toBe(true);
  });
});
