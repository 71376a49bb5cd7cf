// The one bulk query history needs: the shop's orders of a date range with their fulfillments (a plain
// list on Order, so inline in each order's line) and each fulfillment's carrier events (a connection, so
// their own lines, each with the fulfillment's id as __parentId). Only the buyer's country and province
// are asked for: an imported order is never mailed, so no address beyond the lane is needed.
import { DAY_MS } from "~/time";
export const HISTORY_DAYS = 60;


/** The first day read_orders reaches: orders older than 60 days need read_all_orders. */
export function historySince(now: Date): Date {
  return new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
}

/** Orders created in [since, until]: later ones arrive by webhook, so the import never races them. */
export function historyQuery(since: Date, until: Date): string {
  const search = `created_at:>='${since.toISOString()}' AND created_at:<='${until.toISOString()}'`;
  return `{
  orders(query: ${JSON.stringify(search)}, sortKey: CREATED_AT) {
    edges {
      node {
        id
        name
        email
        createdAt
        updatedAt
        processedAt
        cancelledAt
        displayFinancialStatus
        customerLocale
        currencyCode
        totalPriceSet { shopMoney { amount } }
        shippingAddress { countryCodeV2 provinceCode }
        fulfillments {
          id
          name
          createdAt
          updatedAt
          status
          displayStatus
          deliveredAt
          inTransitAt
          estimatedDeliveryAt
          trackingInfo { company number url }
          originAddress { countryCode provinceCode }
          events {
            edges {
              node { id status happenedAt createdAt message estimatedDeliveryAt city country }
            }
          }
        }
      }
    }
  }
}`;
}
