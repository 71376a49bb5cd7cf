// The shop's own SendGrid API key: saved, replaced or removed, never shown again.
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { SettingsFormResult } from "~/admin/settings-form";
import type { LoadedSettings } from "~/admin/settings.server";
import { useToast } from "~/components/useToast";

export function ApiKeyForm({ sendgrid }: { sendgrid: LoadedSettings["sendgrid"] }) {
  const fetcher = useFetcher<SettingsFormResult>();
  const remover = useFetcher<SettingsFormResult>();
  useToast(fetcher.data);
  useToast(remover.data);
  const errors = fetcher.data?.intent === "api-key" ? (fetcher.data.errors ?? {}) : {};
  const [key, setKey] = useState("");
  // The key leaves the page once saved: nothing on screen shows it again.
  useEffect(() => {
    if (fetcher.data?.toast) setKey("");
  }, [fetcher.data]);
  const status = sendgrid.ownKey
    ? "Messages are sent with your own SendGrid API key."
    : sendgrid.appKeyConfigured
      ? "Messages are sent through Parcelwise's SendGrid account."
      : "No SendGrid API key is set up: messages cannot be sent until you add yours.";
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            API key
          </Text>
          {sendgrid.ownKey ? <Badge tone="success">Your key</Badge> : sendgrid.appKeyConfigured ? <Badge>Parcelwise&apos;s key</Badge> : <Badge tone="critical">Missing</Badge>}
        </InlineStack>
        <Text as="p">{status}</Text>
        <fetcher.Form method="post" noValidate>
          <input type="hidden" name="intent" value="api-key" />
          <FormLayout>
            <TextField
              label={sendgrid.ownKey ? "Replace your SendGrid API key" : "Your SendGrid API key"}
              name="sendgridApiKey"
              type="password"
              autoComplete="off"
              value={key}
              onChange={setKey}
              placeholder="SG.xxxxxxxx.xxxxxxxx"
              helpText="Needs the Mail Send permission. It is stored encrypted and is never shown again."
              error={errors.sendgridApiKey}
            />
            <InlineStack align="end" gap="200">
              <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                Save key
              </Button>
            </InlineStack>
          </FormLayout>
        </fetcher.Form>
        {sendgrid.ownKey ? (
          <remover.Form method="post">
            <input type="hidden" name="intent" value="remove-api-key" />
            <Button submit tone="critical" variant="plain" loading={remover.state !== "idle"}>
              {sendgrid.appKeyConfigured ? "Remove my key and use Parcelwise's" : "Remove my key"}
            </Button>
          </remover.Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
