// One number on a card, with what it counts; optionally a link to the list behind it.
import { BlockStack, Card, Link, Text } from "@shopify/polaris";

export function Figure(props: { id?: string; label: string; value: number; help?: string; tone?: "critical" | "success" | "caution"; url?: string; linkLabel?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {props.label}
        </Text>
        <Text as="p" variant="heading2xl" tone={props.value > 0 ? props.tone : undefined}>
          <span data-figure={props.id}>{props.value.toLocaleString("en")}</span>
        </Text>
        {props.help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {props.help}
          </Text>
        ) : null}
        {props.url ? <Link url={props.url}>{props.linkLabel ?? "View"}</Link> : null}
      </BlockStack>
    </Card>
  );
}
