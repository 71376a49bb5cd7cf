// What customers/data_request and customers/redact name: the buyer, and the orders asked for or to erase.
import { z } from "zod/v4";

const shopifyId = z.union([z.number(), z.string()]).transform(String);

export const complianceCustomerPayload = z
  .object({
    customer: z.object({ id: shopifyId.nullish(), email: z.string().nullish() }).passthrough(),
    orders_to_redact: z.array(shopifyId).nullish(),
    orders_requested: z.array(shopifyId).nullish(),
  })
  .passthrough();
export type ComplianceCustomerPayload = z.infer<typeof complianceCustomerPayload>;
