import '@shopify/ui-extensions';

// @ts-expect-error: the CLI declares each module's `shopify` global this way (relative module names are not otherwise allowed)
declare module './src/OrderStatusBlock.tsx' {
  const shopify: import('@shopify/ui-extensions/customer-account.order-status.block.render').Api;
  const globalThis: { shopify: typeof shopify };
}

// @ts-expect-error: the CLI declares each module's `shopify` global this way (relative module names are not otherwise allowed)
declare module './src/ThankYouBlock.tsx' {
  const shopify: import('@shopify/ui-extensions/purchase.thank-you.block.render').Api;
  const globalThis: { shopify: typeof shopify };
}
