import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Layout, Page } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { secretKeys } from "~/shops/secrets.server";
import type { SettingsFormResult } from "~/admin/settings-form";
import { loadSettings } from "~/admin/settings.server";
import { submitApiKey, submitRemoveApiKey, submitSender, submitTestSend, submitTiming, submitTransit, submitWebhookKey } from "~/admin/settings-actions.server";
import { mailConfig } from "~/admin/test-send.server";
import { submitReviewDestination } from "~/admin/settings-review";
import { ApiKeyForm } from "~/components/settings/ApiKeyForm";
import { EventWebhookForm } from "~/components/settings/EventWebhookForm";
import { ReviewDestinationForm } from "~/components/settings/ReviewDestinationForm";
import { SenderForm } from "~/components/settings/SenderForm";
import { TimingForm } from "~/components/settings/TimingForm";
import { TransitForm } from "~/components/settings/TransitForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const config = env();
  const settings = await loadSettings(db, session.shop, {
    appKeyConfigured: Boolean(config.SENDGRID_API_KEY),
    appSender: config.MAIL_FROM_EMAIL,
    appUrl: config.SHOPIFY_APP_URL,
    now: new Date(),
  });
  if (!settings) throw new Response("This shop is not installed", { status: 404 });
  return json(settings);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = Object.fromEntries(await request.formData());
  const result = await submit(String(form.intent ?? ""), session.shop, form, new Date());
  if (!result) throw new Response("This shop is not installed", { status: 404 });
  return json<SettingsFormResult>(result, { status: result.error ? 400 : 200 });
};

function submit(intent: string, shop: string, form: Record<string, unknown>, now: Date): Promise<SettingsFormResult | null> {
  switch (intent) {
    case "timing":
      return submitTiming(db, shop, form, now);
    case "sender":
      return submitSender(db, shop, form);
    case "api-key":
      return submitApiKey(db, shop, form, secretKeys(env()));
    case "remove-api-key":
      return submitRemoveApiKey(db, shop);
    case "webhook-key":
      return submitWebhookKey(db, shop, form);
    case "transit":
      return submitTransit(db, shop, form);
    case "review-destination":
      return submitReviewDestination(db, shop, form);
    case "test-send":
      return submitTestSend(db, shop, mailConfig(), env().SHOPIFY_APP_URL, now);
    default:
      return Promise.resolve({ intent, error: "Unknown action" });
  }
}

export default function Settings() {
  const settings = useLoaderData<typeof loader>();
  return (
    <Page title="Timing & settings" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.AnnotatedSection
          id="timing"
          title="When buyers hear from you"
          description="Every message Parcelwise sends and when, with each setting's default. Changes apply to messages not yet sent: they are re-planned when you save, and open shipments' at-risk times (and windows not yet mailed) follow at once."
        >
          <TimingForm timing={settings.timing} learned={settings.learned} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="sender"
          title="Sender"
          description="Who buyers see the messages from, and where their replies go. SendGrid must have verified the sender address."
        >
          <SenderForm settings={settings} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="review-destination"
          title="Review destination"
          description="Where the feedback request's star links and review button lead. Every rating, one star or five, opens the same page: hiding or diverting low ratings (review gating) breaks Google's and the FTC's rules."
        >
          <ReviewDestinationForm review={settings.review} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="sendgrid"
          title="SendGrid"
          description="Send through your own SendGrid account, or through Parcelwise's. Your key is stored encrypted and never shown again."
        >
          <BlockStack gap="400">
            <ApiKeyForm sendgrid={settings.sendgrid} />
            <EventWebhookForm eventWebhook={settings.eventWebhook} />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="transit"
          title="Carrier transit days"
          description="Business days a parcel takes by carrier and destination region; they set the estimated delivery buyers see. Leave a region empty to use the carrier's typical days. Applies to shipments from now on."
        >
          <TransitForm carriers={settings.carriers} />
        </Layout.AnnotatedSection>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}
