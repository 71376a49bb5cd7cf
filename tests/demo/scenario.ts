// A realistic day of webhooks for the demo shop: buyers in five countries and locales, DHL / EMS / SF /
// UPS parcels, a duplicate delivery, one event delivered to two subscriptions, an out-of-order carrier
// event, a fulfillment that arrives before its order, a cancelled order, and a parcel delivered long
// enough ago that its feedback request is already due. Times are relative to `now`.
import type { ShopifyDelivery } from "#tests/standins/sign";
import type { StandinProduct } from "#tests/standins/products";

export const DEMO_SHOP = "parcelwise-demo.myshopify.com";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface ScenarioStep extends ShopifyDelivery {
  note: string;
}

export interface Buyer {
  first: string;
  last: string;
  email: string;
  locale: string;
  country: string;
  city: string;
  zip: string;
  address1: string;
}

const BUYERS: Record<string, Buyer> = {
  anna: { first: "Anna", last: "Müller", email: "anna.mueller@example.de", locale: "de", country: "DE", city: "Berlin", zip: "10115", address1: "Invalidenstraße 12" },
  camille: { first: "Camille", last: "Dubois", email: "camille.dubois@example.fr", locale: "fr", country: "FR", city: "Lyon", zip: "69002", address1: "12 rue de la République" },
  yuki: { first: "Yuki", last: "Tanaka", email: "yuki.tanaka@example.jp", locale: "ja", country: "JP", city: "Osaka", zip: "530-0001", address1: "1-1 Umeda, Kita-ku" },
  john: { first: "John", last: "Smith", email: "john.smith@example.com", locale: "en-US", country: "US", city: "Austin", zip: "78701", address1: "200 Congress Ave" },
  maria: { first: "Maria", last: "Silva", email: "maria.silva@example.com.br", locale: "pt-BR", country: "BR", city: "São Paulo", zip: "01310-100", address1: "Av. Paulista 1000" },
};

export function orderPayloadFor(id: number, number: number, buyer: Buyer, at: { processed: Date; updated: Date }, extra: Record<string, unknown> = {}) {
  const address = {
    first_name: buyer.first,
    last_name: buyer.last,
    name: `${buyer.first} ${buyer.last}`,
    address1: buyer.address1,
    city: buyer.city,
    zip: buyer.zip,
    country_code: buyer.country,
  };
  return {
    id,
    name: `#${number}`,
    order_number: number,
    email: buyer.email,
    customer: { id: id + 500, first_name: buyer.first, last_name: buyer.last, email: buyer.email },
    customer_locale: buyer.locale,
    shipping_address: address,
    currency: "USD",
    total_price: "49.90",
    financial_status: "paid",
    cancelled_at: null,
    created_at: at.processed.toISOString(),
    processed_at: at.processed.toISOString(),
    updated_at: at.updated.toISOString(),
    fulfillments: [],
    ...extra,
  };
}

export function fulfillmentPayloadFor(id: number, orderId: number, company: string, number: string, country: string, at: { created: Date; updated: Date }, extra: Record<string, unknown> = {}) {
  return {
    id,
    order_id: orderId,
    name: `#F${id}`,
    status: "success",
    shipment_status: null,
    created_at: at.created.toISOString(),
    updated_at: at.updated.toISOString(),
    tracking_company: company,
    tracking_number: number,
    tracking_numbers: [number],
    tracking_url: null,
    tracking_urls: [],
    destination: { country_code: country },
    ...extra,
  };
}

export function fulfillmentEventFor(id: number, fulfillmentId: number, orderId: number, status: string, happened: Date, extra: Record<string, unknown> = {}) {
  return {
    id,
    fulfillment_id: fulfillmentId,
    order_id: orderId,
    status,
    message: null,
    city: null,
    country: null,
    happened_at: happened.toISOString(),
    created_at: happened.toISOString(),
    updated_at: happened.toISOString(),
    estimated_delivery_at: null,
    ...extra,
  };
}

/** The Admin GraphQL shape of an order, for the stand-in to answer when a fulfillment comes first. */
export function graphqlOrderFor(payload: ReturnType<typeof orderPayloadFor>) {
  const address = payload.shipping_address;
  return {
    id: `gid://shopify/Order/${payload.id}`,
    name: payload.name,
    email: payload.email,
    customerLocale: payload.customer_locale,
    currencyCode: payload.currency,
    displayFinancialStatus: payload.financial_status.toUpperCase(),
    cancelledAt: payload.cancelled_at,
    processedAt: payload.processed_at,
    createdAt: payload.created_at,
    updatedAt: payload.updated_at,
    customer: { firstName: payload.customer.first_name, lastName: payload.customer.last_name, email: payload.customer.email },
    shippingAddress: {
      firstName: address.first_name,
      lastName: address.last_name,
      name: address.name,
      address1: address.address1,
      address2: null,
      city: address.city,
      provinceCode: null,
      zip: address.zip,
      countryCodeV2: address.country_code,
    },
    totalPriceSet: { shopMoney: { amount: payload.total_price } },
  };
}

export interface Scenario {
  steps: ScenarioStep[];
  /** Orders the Admin API stand-in must know (the ones whose fulfillment arrives first). */
  adminOrders: Array<ReturnType<typeof graphqlOrderFor>>;
  /** The shop's products the orders bought, as the Admin API describes them (the feedback request links them). */
  products: StandinProduct[];
}

/** The demo shop's catalogue: a tea bowl, a sake set, a vase kept off the Online Store. */
const DEMO_PRODUCTS: StandinProduct[] = [
  {
    id: "8100000000001",
    handle: "celadon-tea-bowl",
    title: "Celadon tea bowl",
    onlineStoreUrl: "https://parcelwise-demo.example/products/celadon-tea-bowl",
    imageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/files/celadon-tea-bowl.jpg?width=600",
    translations: { de: "Seladon-Teeschale", fr: "Bol à thé céladon", ja: "青磁の茶碗" },
  },
  {
    id: "8100000000002",
    handle: "hand-thrown-sake-set",
    title: "Hand-thrown sake set",
    onlineStoreUrl: "https://parcelwise-demo.example/products/hand-thrown-sake-set",
    imageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/files/hand-thrown-sake-set.jpg?width=600",
    translations: { fr: "Service à saké tourné main" },
  },
  { id: "8100000000003", handle: "studio-vase", title: "Studio vase", onlineStoreUrl: null, imageUrl: null },
];

/** Order lines for these demo products, as a webhook's line_items carries them. */
const lineItemsOf = (...products: StandinProduct[]) =>
  products.map((product, i) => ({ id: Number(product.id) + 500 + i, product_id: Number(product.id), variant_id: Number(product.id) + 1000, title: product.title, name: product.title, quantity: 1, gift_card: false }));

export function demoScenario(now: Date, shop = DEMO_SHOP): Scenario {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const step = (note: string, topic: string, payload: unknown, webhookId: string, eventId = `evt-${webhookId}`): ScenarioStep => ({
    note,
    topic,
    shop,
    payload,
    webhookId,
    eventId,
    triggeredAt: now.toISOString(),
  });

  // Anna (Germany, DHL Express): paid three days ago, shipped two days ago, in transit.
  const anna = orderPayloadFor(5001, 1001, BUYERS.anna, { processed: ago(3 * DAY), updated: ago(3 * DAY) }, { line_items: lineItemsOf(DEMO_PRODUCTS[0]!) });
  const annaShipment = fulfillmentPayloadFor(7001, 5001, "DHL Express", "1234567890", "DE", { created: ago(2 * DAY), updated: ago(2 * DAY) });

  // Camille (France, EMS): delivered nine days ago, so the feedback request (7 days later) is due.
  const camille = orderPayloadFor(5002, 1002, BUYERS.camille, { processed: ago(14 * DAY), updated: ago(14 * DAY) }, { line_items: lineItemsOf(...DEMO_PRODUCTS) });
  // Its first webhook comes after EMS delivered it: never announced as shipped, only asked for feedback.
  const camilleShipment = fulfillmentPayloadFor(7002, 5002, "EMS", "EE123456789CN", "FR", { created: ago(13 * DAY), updated: ago(9 * DAY) }, { shipment_status: "delivered" });

  // Yuki (Japan, SF Express): the fulfillment arrives before the order.
  const yuki = orderPayloadFor(5003, 1003, BUYERS.yuki, { processed: ago(2 * DAY), updated: ago(2 * DAY) });
  const yukiShipment = fulfillmentPayloadFor(7003, 5003, "SF Express", "SF1234567890123", "JP", { created: ago(1 * DAY), updated: ago(1 * DAY) });

  // John (USA, UPS): paid a minute ago; the handling commitment goes out in ten minutes.
  const john = orderPayloadFor(5004, 1004, BUYERS.john, { processed: ago(60_000), updated: ago(60_000) });

  // Maria (Brazil): paid, then cancelled before anything shipped: nothing is sent.
  const maria = orderPayloadFor(5005, 1005, BUYERS.maria, { processed: ago(2 * HOUR), updated: ago(2 * HOUR) });
  const mariaCancelled = { ...maria, cancelled_at: ago(HOUR).toISOString(), updated_at: ago(HOUR).toISOString(), financial_status: "refunded" };

  // UPS tracking added to John's order later would be sent at once; here it ships tomorrow.
  return {
    adminOrders: [graphqlOrderFor(yuki)],
    products: DEMO_PRODUCTS,
    steps: [
      step("Anna's order is paid", "orders/paid", anna, "wh-1001-paid"),
      step("Anna's DHL Express parcel is fulfilled with tracking", "fulfillments/create", annaShipment, "wh-7001-create"),
      step("Shopify delivers the same webhook again (retry)", "fulfillments/create", annaShipment, "wh-7001-create"),
      step("DHL reports the parcel in transit", "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY)), "wh-9001"),
      step("Camille's order is paid", "orders/paid", camille, "wh-1002-paid"),
      step("Camille's EMS parcel is fulfilled", "fulfillments/create", camilleShipment, "wh-7002-create"),
      step("EMS reports delivery (arrives before the earlier event)", "fulfillment_events/create", fulfillmentEventFor(9003, 7002, 5002, "delivered", ago(9 * DAY)), "wh-9003"),
      step("EMS's earlier in-transit event arrives late", "fulfillment_events/create", fulfillmentEventFor(9002, 7002, 5002, "in_transit", ago(12 * DAY)), "wh-9002"),
      step("Yuki's SF Express fulfillment arrives before the order (fetched from the Admin API)", "fulfillments/create", yukiShipment, "wh-7003-create"),
      step("Yuki's order arrives afterwards", "orders/paid", yuki, "wh-1003-paid"),
      step("John's order is paid", "orders/paid", john, "wh-1004-paid"),
      step("The same event reaches a second orders/paid subscription", "orders/paid", john, "wh-1004-paid-b", "evt-wh-1004-paid"),
      step("Maria's order is paid", "orders/paid", maria, "wh-1005-paid"),
      step("Maria's order is cancelled and refunded", "orders/cancelled", mariaCancelled, "wh-1005-cancelled"),
      step("An older orders/updated for Maria arrives late (stale: changes nothing)", "orders/updated", maria, "wh-1005-updated-old"),
    ],
  };
}
