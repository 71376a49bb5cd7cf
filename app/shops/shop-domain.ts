// What a shop's domain looks like: `<handle>.myshopify.com`, or under SHOP_CUSTOM_DOMAIN (a domain
// pattern for Shopify-internal test shops, as the Shopify library reads it). Anything else in a
// shop header is not a shop.
const HANDLE = "[a-zA-Z0-9][a-zA-Z0-9-_]*";

export function isShopDomain(shop: string, customDomainPattern?: string): boolean {
  const domains = ["myshopify\\.com", ...(customDomainPattern ? [customDomainPattern] : [])];
  return shop.length <= 255 && new RegExp(`^${HANDLE}\\.(?:${domains.join("|")})$`).test(shop);
}
