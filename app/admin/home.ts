// The admin home's judgements: what blocks sending and what is left on the first-run checklist. Pure.

export interface HomeShop {
  senderEmail: string | null;
  senderVerifiedAt: Date | string | null;
  sendgridApiKeyEncrypted: string | null;
  sendingBlockedReason: string | null;
  templatesReviewedAt: Date | string | null;
  timingReviewedAt: Date | string | null;
}

export interface SendingContext {
  /** The app's own SendGrid key is configured (SENDGRID_API_KEY). */
  appKeyConfigured: boolean;
  /** Orders arrived recently but Shopify shared no buyer email with any of them. */
  buyerEmailsWithheld: boolean;
}

export interface Blocker {
  id: "no_api_key" | "sender_unverified" | "protected_customer_data" | "provider";
  title: string;
  action: string;
  /** Where the merchant fixes it, when it is in this admin. */
  url: string | null;
}

/** Why messages cannot go out right now; empty when nothing blocks sending. */
export function sendingBlockers(shop: HomeShop, context: SendingContext): Blocker[] {
  const blockers: Blocker[] = [];
  const ownKey = Boolean(shop.sendgridApiKeyEncrypted);
  if (!ownKey && !context.appKeyConfigured) {
    blockers.push({
      id: "no_api_key",
      title: "No SendGrid API key",
      action: "Add your SendGrid API key under Timing & settings so Parcelwise can send mail.",
      url: "/app/settings#sendgrid",
    });
  }
  // With its own SendGrid account, nothing goes out until SendGrid has accepted the shop's sender (the
  // app's default address is not verified there). With the app's account, mail goes from the app's
  // default address until then: not blocked, and the checklist still asks for the shop's own.
  if (ownKey && !shop.senderVerifiedAt) {
    blockers.push({
      id: "sender_unverified",
      title: "Sender address not verified",
      action: shop.senderEmail
        ? `Verify ${shop.senderEmail} as a sender in SendGrid, then send a test message: once SendGrid accepts it, sending starts.`
        : "Set a sender address your SendGrid account has verified, then send a test message.",
      url: "/app/settings#sender",
    });
  }
  if (context.buyerEmailsWithheld) {
    blockers.push({
      id: "protected_customer_data",
      title: "Shopify is not sharing buyers' email addresses",
      action: "Request protected customer data access (name, email, address) for Parcelwise in the Partner Dashboard under API access.",
      url: null,
    });
  }
  if (shop.sendingBlockedReason && !blockers.some((b) => b.id === "sender_unverified")) {
    blockers.push({ id: "provider", title: "Sending is paused", action: shop.sendingBlockedReason, url: "/app/settings#sender" });
  }
  return blockers;
}

export interface ChecklistItem {
  id: "sender" | "templates" | "timing";
  title: string;
  description: string;
  done: boolean;
  url: string;
  action: string;
}

export function firstRunChecklist(shop: HomeShop): ChecklistItem[] {
  return [
    {
      id: "sender",
      title: "Sender address verified",
      description: "Buyers see your name and address. A test message that SendGrid accepts verifies it.",
      done: Boolean(shop.senderVerifiedAt),
      url: "/app/settings#sender",
      action: "Set up sender",
    },
    {
      id: "templates",
      title: "Templates reviewed",
      description: "Read the four messages in your buyers' languages and adjust the wording.",
      done: Boolean(shop.templatesReviewedAt),
      url: "/app/templates",
      action: "Review templates",
    },
    {
      id: "timing",
      title: "Timing chosen",
      description: "Decide when each message goes out, e.g. how many days after delivery to ask for a review.",
      done: Boolean(shop.timingReviewedAt),
      url: "/app/settings",
      action: "Choose timing",
    },
  ];
}

export const HOME_PERIOD_DAYS = 30;

export interface HomeFigures {
  messages: { sent: number; delivered: number; bounced: number; failed: number };
  shipments: { inTransit: number; delivered: number; atRisk: number };
  scheduled: number;
}
