import { describe, expect, it } from "vitest";
import { adminOrderUrl, contactMail, contactSubject } from "./contact-mail";

const shop = {
  domain: "kumo-ceramics.myshopify.com",
  name: "Kumo Ceramics",
  contactEmail: "owner@kumo.example",
  replyToEmail: null as string | null,
  senderEmail: "hello@kumo.example" as string | null,
  senderName: null as string | null,
  senderVerifiedAt: new Date() as Date | null,
};
const order = { shopifyId: "820982911946154508", name: "#1001", email: "anna@example.de", buyerName: "Anna Müller" };
const message = { id: "cm1", message: "The mug arrived <cracked>.\n\nCan you send another?", rating: 1 };
const appSender = { email: "notifications@parcelwise.app", name: "Parcelwise" };

describe("the merchant's mail from the contact form", () => {
  it("reaches the address replies reach, as a reply to the feedback request, with Reply-To the buyer", () => {
    const mail = contactMail({ shop, order, notification: { subject: "How was your order #1001?", recipient: "anna@example.de" }, message, appSender });
    if ("error" in mail) throw new Error(mail.error);
    expect(mail).toMatchObject({ to: "owner@kumo.example", replyTo: "anna@example.de", subject: "Re: How was your order #1001?", from: { email: "hello@kumo.example", name: "Kumo Ceramics" } });
    expect(mail.text).toContain("The mug arrived <cracked>.\n\nCan you send another?");
    expect(mail.text).toContain("Rating they came with: 1 of 5 stars");
    expect(mail.text).toContain("order #1001");
    expect(mail.text).toContain("https://admin.shopify.com/store/kumo-ceramics/orders/820982911946154508");
    expect(mail.html).toContain("&lt;cracked&gt;");
    expect(mail.html).not.toContain("<cracked>");
    // Nothing personal where SendGrid shows it in plain sight.
    expect(JSON.stringify([mail.categories, mail.customArgs])).not.toMatch(/anna|müller/i);
  });

  it("follows the shop's reply-to and sender rules", () => {
    const toReplyTo = contactMail({ shop: { ...shop, replyToEmail: "support@kumo.example", senderVerifiedAt: null }, order, notification: null, message: { ...message, rating: null }, appSender });
    if ("error" in toReplyTo) throw new Error(toReplyTo.error);
    expect(toReplyTo).toMatchObject({ to: "support@kumo.example", from: { email: appSender.email, name: "Kumo Ceramics" }, subject: "Re: Your order #1001" });
    expect(toReplyTo.text).not.toContain("Rating");
    expect(contactMail({ shop: { ...shop, contactEmail: null }, order, notification: null, message, appSender })).toEqual({ error: "the shop has no contact or reply-to address" });
  });

  it("does not stack Re: and links to the order in the admin", () => {
    expect(contactSubject({ subject: "Re: Hello" }, "#1")).toBe("Re: Hello");
    expect(adminOrderUrl("a-b.myshopify.com", "42")).toBe("https://admin.shopify.com/store/a-b/orders/42");
  });
});
