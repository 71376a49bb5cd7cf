// Signs Event Webhook posts exactly as SendGrid does, for tests and the demo: ECDSA P-256 with SHA-256
// over the timestamp followed by the raw body, DER signature in base64, and the public key in the
// base64 DER (SPKI) form SendGrid's "Signed Event Webhook" settings show.
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { CapturedMail } from "./capture-server";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "~/mail/events.server";

export interface EventSigner {
  /** The verification key to configure as SENDGRID_WEBHOOK_PUBLIC_KEY. */
  publicKey: string;
  /** Signature of `timestamp + payload` (timestamp defaults to now, in unix seconds). */
  sign(payload: string, timestamp?: string): { signature: string; timestamp: string };
  /** The two signature headers SendGrid sends with `payload`. */
  headers(payload: string, timestamp?: string): Record<string, string>;
}

export function createEventSigner(): EventSigner {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return eventSigner(privateKey, publicKey.export({ type: "spki", format: "der" }).toString("base64"));
}

function eventSigner(privateKey: KeyObject, publicKey: string): EventSigner {
  const signPayload = (payload: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
    signature: sign("sha256", Buffer.from(timestamp + payload, "utf8"), { key: privateKey, dsaEncoding: "der" }).toString("base64"),
    timestamp,
  });
  return {
    publicKey,
    sign: signPayload,
    headers(payload, timestamp) {
      const signed = signPayload(payload, timestamp);
      return { [SIGNATURE_HEADER]: signed.signature, [TIMESTAMP_HEADER]: signed.timestamp };
    },
  };
}

/**
 * One SendGrid event about a captured mail, shaped as SendGrid posts it: the mail's custom args as
 * top-level fields, its categories, and an sg_message_id that starts with the X-Message-Id.
 */
export function sendGridEventFor(mail: CapturedMail, event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: mail.to[0],
    timestamp: Math.floor(Date.now() / 1000),
    event,
    sg_event_id: randomBytes(16).toString("base64url"),
    sg_message_id: `${mail.id}.filterdrecv-capture-1-${randomBytes(4).toString("hex")}.0`,
    category: mail.categories,
    ...mail.customArgs,
    ...extra,
  };
}

/** POSTs a signed batch to an Event Webhook URL, as SendGrid does. A string body is sent as is. */
export async function postSendGridEvents(webhookUrl: string, signer: EventSigner, events: unknown[] | string): Promise<Response> {
  const body = typeof events === "string" ? events : JSON.stringify(events);
  return fetch(webhookUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": "SendGrid Event API", ...signer.headers(body) },
    body,
  });
}
