// Shopify's money filters. Unlike Shopify (integer cents), our amounts are decimal strings such as "49.90".
import type { Context } from "liquidjs";
import { asText, type FilterHandler } from "./filter-handler";
import { memo } from "./memo";
import { metaOf } from "./render-meta";

const currencyFormat = memo((key) => {
  const [locale, currency] = key.split("|");
  return new Intl.NumberFormat(locale, { style: "currency", currency });
});
const wholeCurrencyFormat = memo((key) => {
  const [locale, currency] = key.split("|");
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
});
const decimalFormat = memo(
  (locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);

function toAmount(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return currencyFormat(`${locale}|${currency}`).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

function currencyArg(ctx: Context, currency: unknown): string {
  return typeof currency === "string" && currency !== "" ? currency.toUpperCase() : metaOf(ctx).currency;
}

const money: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  return formatMoney(amount, currencyArg(this.context, currency), metaOf(this.context).locale);
};

const moneyWithCurrency: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  const code = currencyArg(this.context, currency);
  return `${formatMoney(amount, code, metaOf(this.context).locale)} ${code}`;
};

const moneyWithoutCurrency: FilterHandler = function (value) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  return decimalFormat(metaOf(this.context).locale).format(amount);
};

// "€89.50", but "€90" for 90.00, like Shopify's filter of the same name.
const moneyWithoutTrailingZeros: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  const code = currencyArg(this.context, currency);
  const { locale } = metaOf(this.context);
  if (!Number.isInteger(amount)) return formatMoney(amount, code, locale);
  try {
    return wholeCurrencyFormat(`${locale}|${code}`).format(amount);
  } catch {
    return `${amount} ${code}`;
  }
};

export const moneyFilters: Record<string, FilterHandler> = {
  money,
  money_with_currency: moneyWithCurrency,
  money_without_currency: moneyWithoutCurrency,
  money_without_trailing_zeros: moneyWithoutTrailingZeros,
};
