// The feedback request's rules in the timing form: what happens after a delay, and how many days apart
// two requests to one buyer must be. Posted with the timing form (its own file: the Review destination
// card and other feedback settings live beside it).
import { BlockStack, Box, ChoiceList, TextField } from "@shopify/polaris";
import { TIMING_DEFAULTS } from "~/admin/settings";

type Field = "feedbackAfterDelay" | "feedbackBuyerGapDays";

export function FeedbackRulesFields({
  values,
  onChange,
  errors,
}: {
  values: Record<Field, string | boolean>;
  onChange: (key: Field, value: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <BlockStack gap="300">
      <ChoiceList
        title="After a delay notice, or a parcel later than the window its shipping confirmation gave"
        name="feedbackAfterDelay"
        choices={[
          { label: "Ask all the same, thanking the buyer for their patience first", value: "reword" },
          { label: "Skip the feedback request for that order", value: "skip" },
        ]}
        selected={[values.feedbackAfterDelay === "skip" ? "skip" : "reword"]}
        onChange={([choice]) => onChange("feedbackAfterDelay", choice ?? "reword")}
        error={errors.feedbackAfterDelay}
      />
      <Box maxWidth="20rem">
        <TextField
          label="Days between two requests to one buyer"
          name="feedbackBuyerGapDays"
          type="number"
          autoComplete="off"
          inputMode="numeric"
          value={String(values.feedbackBuyerGapDays)}
          onChange={(value) => onChange("feedbackBuyerGapDays", value)}
          suffix="days"
          helpText={`A buyer with several orders hears at most once in this many days (by email address). 0 turns the limit off. Default: ${TIMING_DEFAULTS.feedbackBuyerGapDays} days`}
          error={errors.feedbackBuyerGapDays}
        />
      </Box>
    </BlockStack>
  );
}
