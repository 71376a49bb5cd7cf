// The four messages and when each goes out, with what the current numbers mean in words.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Checkbox, ChoiceList, Divider, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { LearnedCommitment } from "~/lanes/commitment";
import { COVERAGE_PERCENT, coverageWords, describeLearned, effectiveFigure, explainTiming, TIMING_DEFAULTS, type TimingSettings } from "~/admin/settings";
import type { SettingsFormResult } from "~/admin/settings-form";
import { useToast } from "~/components/useToast";
import { FeedbackRulesFields } from "./FeedbackRulesFields";

type ToggleField = "handlingEnabled" | "shippingEnabled" | "feedbackEnabled" | "delayEnabled" | "handlingHoursPinned" | "onlineTrackingDaysPinned";
type NumberField = Exclude<keyof TimingSettings, ToggleField | "atRiskRule" | "feedbackAfterDelay">;

export function TimingForm({ timing, learned }: { timing: TimingSettings; learned: LearnedCommitment }) {
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
    handlingHoursPinned: Boolean(values.handlingHoursPinned),
    onlineTrackingDays: number("onlineTrackingDays"),
    onlineTrackingDaysPinned: Boolean(values.onlineTrackingDaysPinned),
    feedbackDelayDays: number("feedbackDelayDays"),
    feedbackFallbackDays: number("feedbackFallbackDays"),
    delayGraceDays: number("delayGraceDays"),
    silenceDays: number("silenceDays"),
    estimateCoveragePercent: number("estimateCoveragePercent"),
    atRiskRule: values.atRiskRule === "fixed" ? "fixed" : "learned",
    feedbackAfterDelay: values.feedbackAfterDelay === "skip" ? "skip" : "reword",
    feedbackBuyerGapDays: number("feedbackBuyerGapDays"),
  };
  // The explanation tells what buyers will read: the learned figures unless pinned.
  const printed = {
    ...preview,
    handlingHours: effectiveFigure(preview.handlingHours, preview.handlingHoursPinned, learned.handlingHours),
    onlineTrackingDays: effectiveFigure(preview.onlineTrackingDays, preview.onlineTrackingDaysPinned, learned.onlineTrackingDays),
  };
  const explanation = Object.fromEntries(explainTiming(printed).map((e) => [e.kind, e]));
  const field = (key: NumberField, label: string, unit: string, helpText = `Default: ${TIMING_DEFAULTS[key]} ${unit}`) => (
    <TextField
      label={label}
      name={key}
      type="number"
      autoComplete="off"
      inputMode="numeric"
      value={String(values[key])}
      onChange={(value) => setValues((current) => ({ ...current, [key]: value }))}
      suffix={unit}
      helpText={helpText}
      error={errors[key]}
    />
  );
  const toggle = (key: ToggleField, label: string) => (
    <Checkbox label={label} name={key} value="on" checked={Boolean(values[key])} onChange={(checked) => setValues((current) => ({ ...current, [key]: checked }))} error={errors[key]} />
  );
  const learnedLine = (figure: "handling" | "online", setting: number, pinned: boolean, figures: LearnedCommitment["handlingHours"]) => (
    <Text as="p" variant="bodySm" tone="subdued">
      <span data-learned={figure}>{describeLearned(figure, setting, pinned, figures)}</span>
    </Text>
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
              <BlockStack gap="100">
                {field("handlingHours", "Handling time", "hours", "Used when pinned, or until enough orders were fulfilled")}
                {toggle("handlingHoursPinned", "Pin this handling time")}
                {learnedLine("handling", preview.handlingHours, preview.handlingHoursPinned, learned.handlingHours)}
              </BlockStack>
              <BlockStack gap="100">
                {field("onlineTrackingDays", "Days until tracking is online", "days", "Used when pinned, or until enough parcels had a first scan")}
                {toggle("onlineTrackingDaysPinned", "Pin these days")}
                {learnedLine("online", preview.onlineTrackingDays, preview.onlineTrackingDaysPinned, learned.onlineTrackingDays)}
              </BlockStack>
            </InlineGrid>
            {says("handling_commitment")}
          </BlockStack>
          <Divider />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              2. Shipping confirmation
            </Text>
            {toggle("shippingEnabled", "Send a shipping confirmation with tracking")}
            <Box maxWidth="20rem">
              {field(
                "estimateCoveragePercent",
                "Parcels inside the window",
                "%",
                `${coverageWords(preview.estimateCoveragePercent)} parcels of a lane arrive inside the window we print. Allowed ${COVERAGE_PERCENT.min}–${COVERAGE_PERCENT.max} %; default ${TIMING_DEFAULTS.estimateCoveragePercent} %.`,
              )}
            </Box>
            {says("shipping_confirmation")}
          </BlockStack>
          <Divider />
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              3. Delay notice
            </Text>
            {toggle("delayEnabled", "Tell the buyer when a parcel is late")}
            <ChoiceList
              title="A parcel is late (at risk)"
              name="atRiskRule"
              choices={[
                { label: "Learned: past its lane's own slow tail, or silent longer than the lane's usual gap between scans", value: "learned" },
                { label: "Fixed: the grace and silence days below", value: "fixed" },
              ]}
              selected={[preview.atRiskRule]}
              onChange={([rule]) => setValues((current) => ({ ...current, atRiskRule: rule ?? "learned" }))}
              error={errors.atRiskRule}
            />
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
            <FeedbackRulesFields values={values} onChange={(key, value) => setValues((current) => ({ ...current, [key]: value }))} errors={errors} />
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

