// Where the feedback request's review links lead: the products bought, a review app by name (with what
// it documents about review links), or the merchant's own URL template, checked on save.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SettingsFormResult } from "~/admin/settings-form";
import type { LoadedSettings } from "~/admin/settings.server";
import { useToast } from "~/components/useToast";

const TEMPLATE_EXAMPLE = "https://example.com/review?order={{ order.name }}&product={{ product.handle }}&rating={{ rating }}";

export function ReviewDestinationForm({ review }: { review: LoadedSettings["review"] }) {
  const fetcher = useFetcher<SettingsFormResult>();
  useToast(fetcher.data);
  const errors = fetcher.data?.intent === "review-destination" ? (fetcher.data.errors ?? {}) : {};
  const [destination, setDestination] = useState<string>(review.reviewDestination);
  const [template, setTemplate] = useState(review.reviewUrlTemplate ?? "");
  const app = review.apps.find((a) => a.id === destination) ?? review.apps[0];
  return (
    <Card>
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="review-destination" />
        <BlockStack gap="400">
          <Select
            label="Where buyers leave their review"
            name="reviewDestination"
            options={review.apps.map((a) => ({ label: a.name, value: a.id }))}
            value={destination}
            onChange={setDestination}
            error={errors.reviewDestination}
          />
          <Text as="p" tone="subdued">
            {app.note}
          </Text>
          {app.link !== "product_page" ? (
            <TextField
              label={app.link === "template" ? "Review URL template" : `Your ${app.name} review link (optional)`}
              name="reviewUrlTemplate"
              autoComplete="off"
              monospaced
              value={template}
              onChange={setTemplate}
              placeholder={app.link === "template" ? TEMPLATE_EXAMPLE : "https://…"}
              helpText="Liquid: {{ order.name }}, {{ order.number }}, {{ product.handle }}, {{ product.url }}, {{ shop.domain }}, {{ rating }} (1–5, empty on the plain review button). Values are URL-encoded for you; add | url_encode to pass {{ product.url }} as a parameter."
              error={errors.reviewUrlTemplate}
            />
          ) : null}
          {destination === "products" && review.reviewUrl ? (
            <Text as="p" tone="subdued">
              Your review link under Sender ({review.reviewUrl}) is used while this is chosen.
            </Text>
          ) : null}
          {review.discontinued.map((gone) => (
            <Banner key={gone.name} tone="info" title={`${gone.name} is discontinued`}>
              <p>{gone.note}</p>
            </Banner>
          ))}
          <Text as="p" tone="subdued">
            The mail&apos;s five star links and its button all open this destination; a star only adds its rating where your template uses {"{{ rating }}"}. Clicks are counted per message in Activity.
          </Text>
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              Save review destination
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
