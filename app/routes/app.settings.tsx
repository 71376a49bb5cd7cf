import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { Region } from "~/carriers/registry";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { explainTiming, REGION_LABELS, REGIONS, TIMING_DEFAULTS, type TimingSettings } from "~/admin/settings";
import { parseApiKeyForm, parseSenderForm, parseTimingForm, parseTransitForm, parseWebhookKeyForm, type FieldErrors } from "~/admin/settings-form";
import { loadSettings, removeApiKey, saveApiKey, saveCarrierTransit, saveSender, saveTiming, saveWebhookKey } from "~/admin/settings.server";
import { loadTemplate, previewShop, renderPreview } from "~/admin/templates.server";
import { mailConfig, sendTestMessage } from "~/admin/test-send.server";
import { isReadableWebhookKey } from "~/mail/events.server";
import { useToast } from "~/components/useToast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const config = env();
  const settings = await loadSettings(db, session.shop, {
    appKeyConfigured: Boolean(config.SENDGRID_API_KEY),
    appSender: config.MAIL_FROM_EMAIL,
    appUrl: config.SHOPIFY_APP_URL,
  });
  if (!settings) throw new Response("This shop is not installed", { status: 404 });
  return json(settings);
};

type SettingsData = SerializeFrom<typeof loader>;

interface ActionResult {
  intent: string;
  toast?: string;
  error?: string;
  errors?: FieldErrors;
}

const fail = (intent: string, errors: FieldErrors) => json<ActionResult>({ intent, errors, error: "Please fix the fields marked in red" }, { status: 400 });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const now = new Date();
  switch (intent) {
    case "timing": {
      const parsed = parseTimingForm(form);
      if (!parsed.ok) return fail(intent, parsed.errors);
      const replanned = await saveTiming(db, shop, parsed.value, now);
      return json<ActionResult>({ intent, toast: replanned ? `Timing saved; ${replanned} ${replanned === 1 ? "order" : "orders"} re-planned` : "Timing saved" });
    }
    case "sender": {
      const parsed = parseSenderForm(form);
      if (!parsed.ok) return fail(intent, parsed.errors);
      await saveSender(db, shop, parsed.value);
      return json<ActionResult>({ intent, toast: "Sender saved" });
    }
    case "api-key": {
      const parsed = parseApiKeyForm(form);
      if (!parsed.ok) return fail(intent, parsed.errors);
      await saveApiKey(db, shop, parsed.value, env().SHOPIFY_API_SECRET);
      return json<ActionResult>({ intent, toast: "SendGrid API key saved" });
    }
    case "remove-api-key": {
      await removeApiKey(db, shop);
      return json<ActionResult>({ intent, toast: "Your SendGrid API key was removed" });
    }
    case "webhook-key": {
      const parsed = parseWebhookKeyForm(form, isReadableWebhookKey);
      if (!parsed.ok) return fail(intent, parsed.errors);
      await saveWebhookKey(db, shop, parsed.value);
      return json<ActionResult>({ intent, toast: parsed.value ? "Event webhook key saved" : "Event webhook key removed" });
    }
    case "transit": {
      const carrier = String(form.carrier ?? "");
      const parsed = parseTransitForm(carrier, form);
      if (!parsed.ok) return fail(intent, parsed.errors);
      await saveCarrierTransit(db, shop, carrier, parsed.value);
      return json<ActionResult>({ intent, toast: "Transit days saved" });
    }
    case "test-send": {
      const shopRow = await previewShop(db, shop);
      if (!shopRow) throw new Response("This shop is not installed", { status: 404 });
      const locale = shopRow.primaryLocale;
      const { source } = await loadTemplate(db, shop, "shipping_confirmation", locale);
      const preview = await renderPreview(source, { kind: "shipping_confirmation", carrierCode: "dhl_express", destination: "DE", locale }, shopRow, now, env().SHOPIFY_APP_URL);
      if (!preview.ok) return json<ActionResult>({ intent, error: "Your shipping confirmation template has an error; fix it under Templates first" }, { status: 400 });
      const sent = await sendTestMessage(db, shop, { ...preview.message, kind: "shipping_confirmation" }, mailConfig(), now);
      return sent.ok ? json<ActionResult>({ intent, toast: `Test message sent to ${sent.to}` }) : json<ActionResult>({ intent, error: sent.error }, { status: 400 });
    }
    default:
      return json<ActionResult>({ intent, error: "Unknown action" }, { status: 400 });
  }
};

export default function Settings() {
  const settings = useLoaderData<typeof loader>();
  return (
    <Page title="Timing & settings" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        <Layout.AnnotatedSection
          id="timing"
          title="When buyers hear from you"
          description="Every message Parcelwise sends and when, with each setting's default. Changes apply to messages not yet sent: they are re-planned when you save."
        >
          <TimingForm timing={settings.timing} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="sender"
          title="Sender"
          description="Who buyers see the messages from, and where their replies go. SendGrid must have verified the sender address."
        >
          <SenderForm settings={settings} />
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

type ToggleField = "handlingEnabled" | "shippingEnabled" | "feedbackEnabled" | "delayEnabled";
type NumberField = Exclude<keyof TimingSettings, ToggleField>;

function TimingForm({ timing }: { timing: TimingSettings }) {
  const fetcher = useFetcher<ActionResult>();
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

function SenderForm({ settings }: { settings: SettingsData }) {
  const fetcher = useFetcher<ActionResult>();
  const tester = useFetcher<ActionResult>();
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

function ApiKeyForm({ sendgrid }: { sendgrid: { ownKey: boolean; appKeyConfigured: boolean } }) {
  const fetcher = useFetcher<ActionResult>();
  const remover = useFetcher<ActionResult>();
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

function EventWebhookForm({ eventWebhook }: { eventWebhook: SettingsData["eventWebhook"] }) {
  const fetcher = useFetcher<ActionResult>();
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

type CarrierSettings = SettingsData["carriers"][number];

function TransitForm({ carriers }: { carriers: CarrierSettings[] }) {
  const [code, setCode] = useState(carriers[0]?.code ?? "");
  const carrier = carriers.find((c) => c.code === code) ?? carriers[0];
  return (
    <Card>
      <BlockStack gap="400">
        <Select label="Carrier" options={carriers.map((c) => ({ label: `${c.name}${Object.keys(c.own).length ? " (your days)" : ""}`, value: c.code }))} value={code} onChange={setCode} />
        {carrier ? <CarrierTransit key={carrier.code} carrier={carrier} /> : null}
      </BlockStack>
    </Card>
  );
}

function CarrierTransit({ carrier }: { carrier: CarrierSettings }) {
  const fetcher = useFetcher<ActionResult>();
  useToast(fetcher.data);
  const errors = fetcher.data?.intent === "transit" ? (fetcher.data.errors ?? {}) : {};
  const own = carrier.own as Partial<Record<Region, [number, number]>>;
  const initial = () => Object.fromEntries(REGIONS.flatMap((region) => [[`${region}.min`, own[region] ? String(own[region][0]) : ""], [`${region}.max`, own[region] ? String(own[region][1]) : ""]]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));
  return (
    <fetcher.Form method="post" noValidate>
      <input type="hidden" name="intent" value="transit" />
      <input type="hidden" name="carrier" value={carrier.code} />
      <BlockStack gap="300">
        {REGIONS.map((region) => {
          const [min, max] = carrier.typical[region];
          return (
            <InlineGrid key={region} columns={{ xs: 1, sm: "2fr 1fr 1fr" }} gap="200" alignItems="end">
              <BlockStack gap="050">
                <Text as="p" fontWeight="medium">
                  {REGION_LABELS[region]}
                </Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  Typical: {min}–{max} business days
                </Text>
              </BlockStack>
              <TextField label="Fewest days" name={`${region}.min`} type="number" autoComplete="off" placeholder={String(min)} value={values[`${region}.min`]} onChange={set(`${region}.min`)} error={errors[`${region}.min`]} />
              <TextField label="Most days" name={`${region}.max`} type="number" autoComplete="off" placeholder={String(max)} value={values[`${region}.max`]} onChange={set(`${region}.max`)} error={errors[`${region}.max`]} />
            </InlineGrid>
          );
        })}
        <InlineStack align="end" gap="200">
          <Button onClick={() => setValues(Object.fromEntries(Object.keys(values).map((name) => [name, ""])))}>Use typical days</Button>
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            Save transit days
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}
