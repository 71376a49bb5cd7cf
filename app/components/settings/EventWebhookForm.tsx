// The verification key of the shop's own SendGrid Event Webhook, and the address SendGrid posts to.
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { SettingsFormResult } from "~/admin/settings-form";
import type { LoadedSettings } from "~/admin/settings.server";
import { useToast } from "~/components/useToast";

export function EventWebhookForm({ eventWebhook }: { eventWebhook: LoadedSettings["eventWebhook"] }) {
  const fetcher = useFetcher<SettingsFormResult>();
  useToast(fetcher.data);
  const errors = fetcher.data?.intent === "webhook-key" ? (fetcher.data.errors ?? {}) : {};
  const [key, setKey] = useState(eventWebhook.publicKey ?? "");
  return (
    <Card>
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="webhook-key" />
        <BlockStack gap="400">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              Delivery events from your SendGrid account
            </Text>
            {eventWebhook.publicKey ? <Badge tone="success">Key saved</Badge> : null}
          </InlineStack>
          <Text as="p">
            When you send with your own key, SendGrid reports deliveries, bounces and spam reports to your account. In SendGrid, under Settings → Mail Settings → Event
            Webhook, set the Post URL to the address below, turn on signature verification, and paste the verification key it shows here.
          </Text>
          <Box background="bg-surface-secondary" padding="200" borderRadius="200">
            <Text as="p" breakWord>
              <code data-event-webhook-url>{eventWebhook.url}</code>
            </Text>
          </Box>
          <TextField
            label="Event Webhook verification key"
            name="sendgridWebhookPublicKey"
            autoComplete="off"
            monospaced
            value={key}
            onChange={setKey}
            placeholder="MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…"
            helpText={`SendGrid's public key for signed events, not your API key. Events posted to ${eventWebhook.url} are accepted only with it. Empty the field to remove it.`}
            error={errors.sendgridWebhookPublicKey}
          />
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              Save verification key
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
