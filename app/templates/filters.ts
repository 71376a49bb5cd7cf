// The filters message templates have beyond liquidjs' own: Shopify's, in the buyer's locale.
import { asText, type FilterHandler } from "./filter-handler";
import { dateFilters } from "./date-filters";
import { moneyFilters } from "./money-filters";

// Shopify's URL filters: url_escape keeps the URL's structure, url_param_escape
// escapes a value for use inside a query string.
const urlEscape: FilterHandler = (value) => encodeURI(asText(value)).replace(/'/g, "%27");
const urlParamEscape: FilterHandler = (value) => encodeURIComponent(asText(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Shopify's handleize / handle: "Blue Shirt!" → "blue-shirt".
const handleize: FilterHandler = (value) =>
  asText(value)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['"]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");

export const messageFilters: Record<string, FilterHandler> = {
  ...moneyFilters,
  url_escape: urlEscape,
  url_param_escape: urlParamEscape,
  handleize,
  handle: handleize,
  ...dateFilters,
};
