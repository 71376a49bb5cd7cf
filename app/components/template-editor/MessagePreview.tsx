// The editor's live preview: the sample order's carrier, destination and language, and the rendered mail.
import { BlockStack, Box, Card, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import { countryLabel, PREVIEW_CARRIERS, PREVIEW_DESTINATIONS, type EditorLocale } from "~/admin/templates";
import type { PreviewScenario } from "~/admin/template-editor";
import type { RenderedMessage } from "~/templates/render";

export type ScenarioField = "carrierCode" | "destination" | "locale" | "lane";

export function MessagePreview(props: {
  scenario: PreviewScenario;
  change: (field: ScenarioField) => (value: string) => void;
  locales: EditorLocale[];
  /** The shop's learned lanes, busiest first. */
  lanes: { value: string; label: string }[];
  preview: RenderedMessage | null;
  updating: boolean;
}) {
  const { scenario, change, locales, lanes, preview, updating } = props;
  const onLane = Boolean(scenario.lane);
  return (
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Preview
            </Text>
            {updating ? (
              <Text as="span" tone="subdued">
                Updating…
              </Text>
            ) : null}
          </InlineStack>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
            <Select label="Carrier" disabled={onLane} options={PREVIEW_CARRIERS.map((c) => ({ label: c.name, value: c.code }))} value={scenario.carrierCode} onChange={change("carrierCode")} />
            <Select label="Destination" disabled={onLane} options={PREVIEW_DESTINATIONS.map((code) => ({ label: countryLabel(code), value: code }))} value={scenario.destination} onChange={change("destination")} />
            <Select label="Buyer's language" options={locales.map((l) => ({ label: l.label, value: l.locale }))} value={scenario.locale} onChange={change("locale")} />
          </InlineGrid>
          {lanes.length ? (
            <Select
              label="Delivery window"
              options={[{ label: "Sample: the carrier's typical days", value: "" }, ...lanes.map((lane) => ({ label: `Learned lane: ${lane.label}`, value: lane.value }))]}
              value={scenario.lane ?? ""}
              onChange={change("lane")}
              helpText="A lane of your own shows the window it learned (estimated_delivery.range, .source, .parcels), with its carrier and destination."
            />
          ) : null}
          {preview ? (
            <BlockStack gap="200">
              <Box padding="200" background="bg-surface-secondary" borderRadius="200">
                <Text as="p">
                  <Text as="span" tone="subdued">
                    Subject:{" "}
                  </Text>
                  <span data-preview="subject">{preview.subject}</span>
                </Text>
              </Box>
              {/* No scripts run in the merchant's HTML; same origin only so the preview paints like the page. */}
              <iframe
                title="HTML preview"
                data-preview="html"
                sandbox="allow-same-origin"
                srcDoc={preview.html}
                style={{ width: "100%", height: 560, border: "1px solid var(--p-color-border)", borderRadius: 8, background: "#fff" }}
              />
              <Text as="h3" variant="headingSm">
                Plain text
              </Text>
              <Box padding="200" background="bg-surface-secondary" borderRadius="200" overflowX="scroll">
                <pre data-preview="text" style={{ margin: 0, whiteSpace: "pre-wrap", fontSize: 12 }}>
                  {preview.text}
                </pre>
              </Box>
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              The preview appears when the template has no errors.
            </Text>
          )}
        </BlockStack>
      </Card>
  );
}
