// What Shopify's financial statuses (orders/paid's financial_status, lower-cased displayFinancialStatus)
// mean for the buyer's messages.

// Money was taken, whatever was refunded since: the handling commitment counts from then.
const PAID = new Set(["paid", "partially_paid", "partially_refunded", "refunded"]);
// Everything went back (or was never captured): no feedback request.
const FULLY_REFUNDED = new Set(["refunded", "voided"]);

export function isPaid(status: string | null | undefined): boolean {
  return status ? PAID.has(status) : false;
}

export function isFullyRefunded(status: string | null | undefined): boolean {
  return status ? FULLY_REFUNDED.has(status) : false;
}
