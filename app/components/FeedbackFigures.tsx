// The home page's feedback figures: requests sent, how many were clicked, and the share of each star
// among the messages whose star links were clicked.
import { BlockStack, Box, Card, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { FeedbackFigures as Figures } from "~/admin/feedback-clicks.server";
import { Figure } from "./Figure";

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function FeedbackFigures({ feedback, days }: { feedback: Figures; days: number }) {
  const rated = feedback.stars.reduce((sum, star) => sum + star.messages, 0);
  return (
    <BlockStack gap="300">
      <Box paddingInline={{ xs: "400", sm: "0" }}>
        <Text as="h2" variant="headingMd">
          Feedback requests, last {days} days
        </Text>
      </Box>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Figure id="feedback.sent" label="Requests sent" value={feedback.sent} help="Feedback requests handed to SendGrid" />
        <Figure
          id="feedback.clicked"
          label="Clicked"
          value={feedback.clicked}
          tone="success"
          help={feedback.sent ? `${percent(feedback.clicked / feedback.sent)} of the requests: a star or the review button` : "A star or the review button"}
          url="/app/activity?kind=feedback_request"
          linkLabel="See feedback requests"
        />
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm" tone="subdued">
              Share by star
            </Text>
            {feedback.stars
              .slice()
              .reverse()
              .map((star) => (
                <InlineStack key={star.rating} gap="200" blockAlign="center" wrap={false}>
                  <Box minWidth="4.5rem">
                    <Text as="span" variant="bodySm">
                      {star.rating} {star.rating === 1 ? "star" : "stars"}
                    </Text>
                  </Box>
                  <Box width="100%">
                    <ProgressBar progress={star.share * 100} size="small" tone={star.rating >= 4 ? "success" : star.rating === 3 ? "highlight" : "critical"} />
                  </Box>
                  <Box minWidth="3rem">
                    <Text as="span" variant="bodySm" alignment="end">
                      <span data-figure={`feedback.star${star.rating}`}>{percent(star.share)}</span>
                    </Text>
                  </Box>
                </InlineStack>
              ))}
            <Text as="p" variant="bodySm" tone="subdued">
              {rated ? `Of ${rated.toLocaleString("en")} ${rated === 1 ? "message" : "messages"} with a star clicked (the last one clicked).` : "No star clicked yet."}
            </Text>
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}
