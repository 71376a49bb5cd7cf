// Who buyers see the messages from, where replies go, and a test send that verifies the sender.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SettingsFormResult } from "~/admin/settings-form";
import type { LoadedSettings } from "~/admin/settings.server";
import { useToast } from "~/components/useToast";

export function SenderForm({ settings }: { settings: LoadedSettings }) {
  const fetcher = useFetcher<SettingsFormResult>();
  const tester = useFetcher<SettingsFormResult>();
  useToast(fetcher.data);
  useToast(tester.data);
  const errors = fetcher.data?.intent === "sender" ? (fetcher.data.errors ?? {}) : {};
  const [values, setValues] = useState({
    senderName: settings.sender.senderName ?? "",
    senderEmail: settings.sender.senderEmail ?? "",
    replyToEmail: settings.sender.replyToEmail ?? "",
    reviewUrl: settings.sender.reviewUrl ?? "",
  });
  const text = (key: keyof typeof values, label: string, helpText: string, type: "text" | "email" | "url" = "text") => (
    <TextField
      label={label}
      name={key}
      type={type}
      autoComplete="off"
      value={values[key]}
      onChange={(value) => setValues((current) => ({ ...current, [key]: value }))}
      helpText={helpText}
      error={errors[key]}
    />
  );
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Sender address
          </Text>
          {settings.senderVerifiedAt ? <Badge tone="success">Verified</Badge> : <Badge tone="attention">Not verified yet</Badge>}
        </InlineStack>
        {settings.sendingBlockedReason ? (
          <Banner tone="critical" title="Sending is paused">
            <p>{settings.sendingBlockedReason}</p>
          </Banner>
        ) : null}
        <fetcher.Form method="post" noValidate>
          <input type="hidden" name="intent" value="sender" />
          <FormLayout>
            {text("senderName", "Sender name", `Buyers see this as the sender. Empty: ${settings.shopName}`)}
            {text("senderEmail", "Sender address", `Must be verified in the SendGrid account that sends. Empty: ${settings.appSender}`, "email")}
            {text("replyToEmail", "Reply-to address", `Where buyers' replies go. Empty: ${settings.contactEmail ?? "your store's contact email"}`, "email")}
            {text("reviewUrl", "Review link", "Where the feedback request sends buyers to leave a review (https://…)", "url")}
            <InlineStack align="end">
              <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                Save sender
              </Button>
            </InlineStack>
          </FormLayout>
        </fetcher.Form>
        <Divider />
        <tester.Form method="post" noValidate>
          <input type="hidden" name="intent" value="test-send" />
          <InlineStack gap="300" align="space-between" blockAlign="center">
            <Box maxWidth="40ch">
              <Text as="p" tone="subdued">
                Sends a sample shipping confirmation to {settings.contactEmail ?? "your store's contact email"}. Once SendGrid accepts it, the sender counts as verified.
              </Text>
            </Box>
            <Button submit loading={tester.state !== "idle"}>
              Send a test message
            </Button>
          </InlineStack>
        </tester.Form>
      </BlockStack>
    </Card>
  );
}
