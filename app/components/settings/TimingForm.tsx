// The four messages and when each goes out, with what the current numbers mean in words.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Checkbox, Divider, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { explainTiming, TIMING_DEFAULTS, type TimingSettings } from "~/admin/settings";
import type { SettingsFormResult } from "~/admin/settings-form";
import { useToast } from "~/components/useToast";

type ToggleField = "handlingEnabled" | "shippingEnabled" | "feedbackEnabled" | "delayEnabled";
type NumberField = Exclude<keyof TimingSettings, ToggleField>;

export function TimingForm({ timing }: { timing: TimingSettings }) {
  const fetcher = useFetcher<SettingsFormResult>();
  useToast(fetcher.data);
  const errors = fetcher.data?.intent === "timing" ? (fetcher.data.errors ?? {}) : {};
  const [values, setValues] = useState(() => Object.fromEntries(Object.entries(timing).map(([key, value]) => [key, typeof value === "boolean" ? value : String(value)])) as Record<keyof TimingSettings, string | boolean>);
  const number = (key: NumberField) => {
    const n = Number(values[key]);
    return values[key] !== "" && Number.isInteger(n) ? n : TIMING_DEFAULTS[key];
  };
  const preview: TimingSettings = {
    handlingEnabled: Boolean(values.handlingEnabled),
    shippingEnabled: Boolean(values.shippingEnabled),
    feedbackEnabled: Boolean(values.feedbackEnabled),
    delayEnabled: Boolean(values.delayEnabled),
    handlingDelayMinutes: number("handlingDelayMinutes"),
    handlingHours: number("handlingHours"),
    onlineTrackingDays: number("onlineTrackingDays"),
    feedbackDelayDays: number("feedbackDelayDays"),
    feedbackFallbackDays: number("feedbackFallbackDays"),
    delayGraceDays: number("delayGraceDays"),
    silenceDays: number("silenceDays"),
  };
  const explanation = Object.fromEntries(explainTiming(preview).map((e) => [e.kind, e]));
  const field = (key: NumberField, label: string, unit: string) => (
    <TextField
      label={label}
      name={key}
      type="number"
      autoComplete="off"
      inputMode="numeric"
      value={String(values[key])}
      onChange={(value) => setValues((current) => ({ ...current, [key]: value }))}
      suffix={unit}
      helpText={`Default: ${TIMING_DEFAULTS[key]} ${unit}`}
      error={errors[key]}
    />
  );
  const toggle = (key: ToggleField, label: string) => (
    <Checkbox label={label} name={key} value="on" checked={Boolean(values[key])} onChange={(checked) => setValues((current) => ({ ...current, [key]: checked }))} error={errors[key]} />
  );
  const says = (kind: string) => (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <Text as="p" tone="subdued">
        <span data-timing-explanation={kind}>{explanation[kind]?.text}</span>
      </Text>
    </Box>
  );
  return (
    <Card>
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="timing" />
        <BlockStack gap="500">
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              1. Handling commitment
            </Text>
            {toggle("handlingEnabled", "Send a handling commitment after payment")}
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
              {field("handlingDelayMinutes", "Wait after payment", "minutes")}
              {field("handlingHours", "Handling time", "hours")}
              {field("onlineTrackingDays", "Days until tracking is online", "days")}
            </InlineGrid>
            {says("handling_commitment")}
          </BlockStack>
          <Divider />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              2. Shipping confirmation
            </Text>
            {toggle("shippingEnabled", "Send a shipping confirmation with tracking")}
            {says("shipping_confirmation")}
          </BlockStack>
          <Divider />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              3. Delay notice
            </Text>
            {toggle("delayEnabled", "Tell the buyer when a parcel is late")}
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {field("delayGraceDays", "Grace after the estimated delivery", "days")}
              {field("silenceDays", "Days without carrier news", "days")}
            </InlineGrid>
            {says("delay_notice")}
          </BlockStack>
          <Divider />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              4. Feedback request
            </Text>
            {toggle("feedbackEnabled", "Ask for a review after delivery")}
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              {field("feedbackDelayDays", "Days after delivery", "days")}
              {field("feedbackFallbackDays", "Days after the estimated delivery (no delivery event)", "days")}
            </InlineGrid>
            {says("feedback_request")}
          </BlockStack>
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              Save timing
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
