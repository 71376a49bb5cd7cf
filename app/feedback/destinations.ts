// Where a feedback request's review links lead: the merchant's choice of review app (each with the link it
// documents), a free URL template, or the order's product pages. Every rating goes to the same place (the
// rating is at most a parameter of it): a low rating is never hidden, delayed or sent elsewhere, which
// Google's review policies and the FTC's rule on consumer reviews forbid ("review gating"). Pure.
import { engineFor } from "~/templates/engine";
import { toTemplateError } from "~/templates/template-error";
import { webUrl } from "~/tracking/web-url";

export const REVIEW_DESTINATIONS = ["products", "judgeme", "yotpo", "okendo", "stamped", "custom"] as const;
export type ReviewDestination = (typeof REVIEW_DESTINATIONS)[number];

/**
 * How a destination builds its link. `product_page`: the purchased product's page, where the app's widget
 * has its "Write a review" button (Judge.me's widget is the element `#judgeme_product_reviews`).
 * `app_link`: a link the review app generates for the merchant, pasted into the URL template field.
 * `template`: the merchant's own URL template.
 */
export interface ReviewApp {
  id: ReviewDestination;
  name: string;
  link: "product_page" | "app_link" | "template";
  anchor?: string;
  /** What the app documents about a write-review link, shown under the choice in Settings. */
  note: string;
}

export const REVIEW_APPS: ReviewApp[] = [
  {
    id: "products",
    name: "The products they bought (default)",
    link: "product_page",
    note: "The product page of what the buyer bought on your storefront, else your storefront's home page. A review link set under Sender is used instead when there is one.",
  },
  {
    id: "judgeme",
    name: "Judge.me",
    link: "product_page",
    anchor: "#judgeme_product_reviews",
    note: "Judge.me documents its review form on the product page (the Review Widget's Write a review button), review request emails, QR codes and review links made in Judge.me, but no link pattern with a product or a rating. Buyers land on the product page at the Review Widget.",
  },
  {
    id: "yotpo",
    name: "Yotpo",
    link: "app_link",
    note: "Yotpo documents shareable review links generated in Yotpo (product or site review), no pattern with a rating. Paste your link below; without one, buyers land on the product page, where the Reviews Widget is.",
  },
  {
    id: "okendo",
    name: "Okendo",
    link: "product_page",
    note: "Okendo documents no write-review link pattern: reviews are written from its request emails or the Write a Review button of its widget on the product page. Buyers land on the product page.",
  },
  {
    id: "stamped",
    name: "Stamped",
    link: "app_link",
    note: "Stamped documents self-hosted \"Write a Review\" pages but no link pattern with a product or a rating. Paste your page's address below (it may use the variables); without one, buyers land on the product page, where the main widget is.",
  },
  {
    id: "custom",
    name: "Your own URL template",
    link: "template",
    note: "Any https link, with Liquid variables: {{ order.name }}, {{ order.number }}, {{ product.handle }}, {{ product.url }}, {{ shop.domain }} and {{ rating }} (1 to 5, empty on the plain review button).",
  },
];

/** Shopify's own Product Reviews app was discontinued: shown in Settings as such, never chosen. */
export const DISCONTINUED_REVIEW_APPS = [
  {
    name: "Shopify Product Reviews",
    note: "Shopify discontinued its Product Reviews app, so it has no review link to open. Reviews left in the Shop app are written in the app itself. Choose the products they bought, or the review app you moved to.",
  },
];

export function reviewAppFor(destination: string): ReviewApp {
  return REVIEW_APPS.find((app) => app.id === destination) ?? REVIEW_APPS[0];
}

export const isReviewDestination = (value: string): value is ReviewDestination => (REVIEW_DESTINATIONS as readonly string[]).includes(value);

/** A purchased product's page on the storefront, as the order's product links give it. */
export interface ProductLink {
  url: string;
  handle?: string | null;
  title?: string;
}

export interface DestinationSettings {
  reviewDestination: string;
  /** The review link set under Sender (older setting): the products destination's link when set. */
  reviewUrl: string | null;
  reviewUrlTemplate: string | null;
}

export interface DestinationInput {
  settings: DestinationSettings;
  shopDomain: string;
  orderName: string;
  products: ProductLink[];
  /** 1..5 for a star link, null for the plain review button. */
  rating: number | null;
}

const storefront = (shopDomain: string) => `https://${shopDomain}/`;

function handleOf(product: ProductLink): string {
  if (product.handle) return product.handle;
  try {
    return /\/products\/([^/?#]+)/.exec(new URL(product.url).pathname)?.[1] ?? "";
  } catch {
    return "";
  }
}

function productPage(input: DestinationInput): string {
  const first = input.products.map((product) => webUrl(product.url)).find(Boolean);
  return first ?? storefront(input.shopDomain);
}

/** The variables a URL template renders with: values URL-encoded, except product.url (a whole link). */
export function urlTemplateContext(input: Pick<DestinationInput, "shopDomain" | "orderName" | "products" | "rating">) {
  const product = input.products[0];
  return {
    order: { name: encodeURIComponent(input.orderName), number: encodeURIComponent(input.orderName.replace(/^#/, "")) },
    product: {
      handle: product ? encodeURIComponent(handleOf(product)) : "",
      url: product ? (webUrl(product.url) ?? "") : storefront(input.shopDomain),
      title: product?.title ? encodeURIComponent(product.title) : "",
    },
    shop: { domain: input.shopDomain },
    rating: input.rating ?? "",
  };
}

export type UrlTemplateResult = { ok: true; url: string } | { ok: false; error: string };

/** Renders a URL template; the result must be an http(s) link. */
export function renderUrlTemplate(template: string, context: ReturnType<typeof urlTemplateContext>): UrlTemplateResult {
  let rendered: string;
  try {
    rendered = String(engineFor("text").parseAndRenderSync(template, context)).trim();
  } catch (err) {
    const error = toTemplateError("text", err);
    return { ok: false, error: `Liquid error${error.line ? ` (column ${error.column ?? 1})` : ""}: ${error.message}` };
  }
  const url = webUrl(rendered);
  if (!url || /\s/.test(rendered)) return { ok: false, error: `It gives "${rendered.slice(0, 120)}", which is not an http:// or https:// link` };
  return { ok: true, url };
}

/** Whether the destination's link carries the rating (only a URL template using {{ rating }} does). */
export function acceptsRating(settings: DestinationSettings): boolean {
  const app = reviewAppFor(settings.reviewDestination);
  return app.link !== "product_page" && !!settings.reviewUrlTemplate && /\{\{-?\s*rating\b/.test(settings.reviewUrlTemplate);
}

/**
 * Where a click on a review link goes. The same for every rating: the rating changes at most the
 * {{ rating }} parameter of a URL template. A template that fails at click time falls back to the
 * product page (reported by `fellBack`), never to nothing.
 */
export function resolveDestination(input: DestinationInput): { url: string; fellBack: boolean } {
  const { settings } = input;
  const app = reviewAppFor(settings.reviewDestination);
  if (app.link === "product_page") {
    if (app.id === "products" && webUrl(settings.reviewUrl)) return { url: webUrl(settings.reviewUrl)!, fellBack: false };
    const page = productPage(input);
    // The anchor only makes sense on a product page (a widget there), not on the storefront's home page.
    return { url: app.anchor && input.products.length && page !== storefront(input.shopDomain) ? page + app.anchor : page, fellBack: false };
  }
  if (!settings.reviewUrlTemplate) return { url: productPage(input), fellBack: app.link === "template" };
  const rendered = renderUrlTemplate(settings.reviewUrlTemplate, urlTemplateContext(input));
  return rendered.ok ? { url: rendered.url, fellBack: false } : { url: productPage(input), fellBack: true };
}

/** A sample to check a URL template with on save, with and without a rating. */
export function checkUrlTemplate(template: string, shopDomain: string): UrlTemplateResult {
  const products = [{ url: `https://${shopDomain}/products/sample-product`, handle: "sample-product", title: "Sample product" }];
  for (const rating of [5, null]) {
    const result = renderUrlTemplate(template, urlTemplateContext({ shopDomain, orderName: "#1001", products, rating }));
    if (!result.ok) return result;
  }
  return renderUrlTemplate(template, urlTemplateContext({ shopDomain, orderName: "#1001", products, rating: 5 }));
}
