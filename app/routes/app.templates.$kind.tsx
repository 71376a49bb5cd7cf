import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { checkTemplateForm, type PreviewScenario } from "~/admin/template-editor";
import {
  countryLabel,
  describeError,
  errorsByPart,
  isMessageKind,
  KIND_INFO,
  normalizeLocale,
  PART_LABELS,
  PREVIEW_CARRIERS,
  PREVIEW_DESTINATIONS,
  toEditorError,
  VARIABLE_REFERENCE,
  type EditorError,
} from "~/admin/templates";
import { loadTemplate, previewShop, renderPreview, resetTemplate, saveTemplate, templateOverview } from "~/admin/templates.server";
import { mailConfig, sendTestMessage } from "~/admin/test-send.server";
import type { RenderedMessage } from "~/templates/render";
import { validateTemplate } from "~/templates/validate";
import { useToast } from "~/components/useToast";
import type { MessageKind } from "~/templates/variables";

function kindOf(params: { kind?: string }): MessageKind {
  const kind = params.kind ?? "";
  if (!isMessageKind(kind)) throw new Response("No such message", { status: 404 });
  return kind;
}

function scenarioFrom(kind: MessageKind, source: { get(name: string): unknown }, fallbackLocale: string): PreviewScenario {
  const read = (name: string) => (typeof source.get(name) === "string" ? (source.get(name) as string) : "");
  return {
    kind,
    carrierCode: read("carrier") || "dhl_express",
    destination: read("destination") || "DE",
    locale: normalizeLocale(read("previewLocale")) ?? fallbackLocale,
  };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOf(params);
  const shop = await previewShop(db, session.shop);
  if (!shop) throw new Response("This shop is not installed", { status: 404 });
  const url = new URL(request.url);
  const { locales } = await templateOverview(db, session.shop, shop.primaryLocale);
  const asked = normalizeLocale(url.searchParams.get("locale") ?? "");
  const locale = asked ?? (locales.some((l) => l.locale === shop.primaryLocale) ? shop.primaryLocale : "en");
  const template = await loadTemplate(db, session.shop, kind, locale);
  const scenario = scenarioFrom(kind, url.searchParams, locale);
  const problems = validateTemplate(template.source).map(toEditorError);
  const preview = problems.length ? null : await renderPreview(template.source, scenario, shop, new Date(), env().SHOPIFY_APP_URL);
  return json({
    kind,
    locale,
    locales: locales.some((l) => l.locale === locale) ? locales : [...locales, { locale, label: locale, builtIn: false, customized: false }],
    template,
    scenario,
    contactEmail: shop.contactEmail,
    preview: preview?.ok ? preview.message : null,
    problems: preview && !preview.ok ? preview.problems : problems,
  });
};

interface ActionResult {
  intent: string;
  toast?: string;
  error?: string;
  errors?: Record<string, string>;
  problems?: EditorError[];
  preview?: RenderedMessage | null;
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOf(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const locale = normalizeLocale(String(form.get("locale") ?? ""));
  if (!locale) return json<ActionResult>({ intent, error: "This language code is not valid" }, { status: 400 });
  const now = new Date();

  if (intent === "reset") {
    await resetTemplate(db, session.shop, kind, locale);
    return json<ActionResult>({ intent, toast: "Back to Parcelwise's text" });
  }

  const checked = checkTemplateForm(Object.fromEntries(form));
  if (intent === "save") {
    if (!checked.ok) return json<ActionResult>({ intent, errors: checked.errors, problems: checked.problems, error: "Not saved: fix the errors marked in red" }, { status: 400 });
    await saveTemplate(db, session.shop, kind, locale, checked.value, now);
    return json<ActionResult>({ intent, toast: "Template saved" });
  }
  if (intent === "preview" || intent === "test" || intent === "sandbox") {
    const shop = await previewShop(db, session.shop);
    if (!shop) throw new Response("This shop is not installed", { status: 404 });
    const sends = intent !== "preview";
    if (!checked.ok) {
      return json<ActionResult>({ intent, problems: checked.problems, preview: null, ...(sends ? { error: "Not sent: fix the errors marked in red" } : {}) }, { status: sends ? 400 : 200 });
    }
    const rendered = await renderPreview(checked.value, scenarioFrom(kind, form, locale), shop, now, env().SHOPIFY_APP_URL);
    if (!rendered.ok) {
      return json<ActionResult>({ intent, problems: rendered.problems, preview: null, ...(sends ? { error: "Not sent: fix the errors marked in red" } : {}) }, { status: sends ? 400 : 200 });
    }
    if (!sends) return json<ActionResult>({ intent, problems: [], preview: rendered.message });
    const sent = await sendTestMessage(db, session.shop, { ...rendered.message, kind }, mailConfig(), now, { sandbox: intent === "sandbox" });
    if (!sent.ok) return json<ActionResult>({ intent, error: sent.error }, { status: 400 });
    return json<ActionResult>({ intent, toast: sent.sandbox ? "SendGrid accepted the message (sandbox): nothing was delivered" : `Test message sent to ${sent.to}` });
  }
  return json<ActionResult>({ intent, error: "Unknown action" }, { status: 400 });
};

type EditorData = SerializeFrom<typeof loader>;

export default function TemplateEditorPage() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  // Kept outside the keyed editor so a toast survives the editor starting over after a save or reset.
  const saver = useFetcher<ActionResult>();
  const tester = useFetcher<ActionResult>();
  const sandboxer = useFetcher<ActionResult>();
  const resetter = useFetcher<ActionResult>();
  useToast(saver.data);
  useToast(tester.data);
  useToast(sandboxer.data);
  useToast(resetter.data);
  // The preview's carrier, destination and language outlive a save or reset; a new language previews in it.
  const [scenario, setScenario] = useState(data.scenario);
  useEffect(() => {
    setScenario((current) => (current.locale === data.locale ? current : { ...current, locale: data.locale }));
  }, [data.locale]);
  const info = KIND_INFO[data.kind];
  const current = data.locales.find((l) => l.locale === data.locale);
  return (
    <Page fullWidth title={info.title} subtitle={info.summary} backAction={{ content: "Templates", url: "/app/templates" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineGrid columns={{ xs: 1, sm: "minmax(0, 20rem) 1fr" }} gap="300" alignItems="end">
              <Select
                label="Language"
                options={data.locales.map((l) => ({ label: l.label, value: l.locale }))}
                value={data.locale}
                onChange={(locale) => navigate(`/app/templates/${data.kind}?locale=${encodeURIComponent(locale)}`)}
              />
              <InlineStack gap="200" blockAlign="center" align="end">
                {data.template.customized ? <Badge tone="info">Your text</Badge> : <Badge>Parcelwise&apos;s text</Badge>}
                {data.template.customized && current?.builtIn ? (
                  <resetter.Form method="post">
                    <input type="hidden" name="intent" value="reset" />
                    <input type="hidden" name="locale" value={data.locale} />
                    <Button submit loading={resetter.state !== "idle"}>
                      Reset to default
                    </Button>
                  </resetter.Form>
                ) : null}
              </InlineStack>
            </InlineGrid>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Editor key={`${data.kind}:${data.locale}:${data.template.customized}`} data={data} scenario={scenario} setScenario={setScenario} saver={saver} tester={tester} sandboxer={sandboxer} />
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}

type Fetcher = ReturnType<typeof useFetcher<ActionResult>>;

type Scenario = EditorData["scenario"];

function Editor(props: {
  data: EditorData;
  scenario: Scenario;
  setScenario: (update: (current: Scenario) => Scenario) => void;
  saver: Fetcher;
  tester: Fetcher;
  sandboxer: Fetcher;
}) {
  const { data, scenario, setScenario, saver, tester, sandboxer } = props;
  const [source, setSource] = useState(data.template.source);
  const previewer = useFetcher<ActionResult>();
  const submitPreview = useRef(previewer.submit);
  submitPreview.current = previewer.submit;

  // The preview is rendered on the server, a moment after the merchant stops typing. The loader already
  // rendered the stored text with the page's scenario.
  const loaded = JSON.stringify([source, scenario]) === JSON.stringify([data.template.source, data.scenario]);
  useEffect(() => {
    if (loaded) return;
    const timer = setTimeout(() => {
      submitPreview.current({ intent: "preview", locale: data.locale, ...source, carrier: scenario.carrierCode, destination: scenario.destination, previewLocale: scenario.locale }, { method: "post" });
    }, 350);
    return () => clearTimeout(timer);
  }, [loaded, source, scenario, data.locale]);

  const change = (part: "subject" | "html" | "text") => (value: string) => setSource((current) => ({ ...current, [part]: value }));
  const changeScenario = (field: "carrierCode" | "destination" | "locale") => (value: string) => setScenario((current) => ({ ...current, [field]: value }));

  const latest = loaded ? null : (previewer.data ?? null);
  const saveFailed = saver.data?.intent === "save" && saver.data.problems && saver.state === "idle" ? saver.data.problems : null;
  const problems: EditorError[] = latest?.problems ?? saveFailed ?? data.problems;
  const preview = latest ? (latest.preview ?? null) : data.preview;
  const errors = errorsByPart(problems);
  const hidden = (
    <>
      <input type="hidden" name="locale" value={data.locale} />
      <input type="hidden" name="subject" value={source.subject} />
      <input type="hidden" name="html" value={source.html} />
      <input type="hidden" name="text" value={source.text} />
      <input type="hidden" name="carrier" value={scenario.carrierCode} />
      <input type="hidden" name="destination" value={scenario.destination} />
      <input type="hidden" name="previewLocale" value={scenario.locale} />
    </>
  );

  return (
    <BlockStack gap="400">
      {problems.length ? (
        <Banner tone="critical" title={problems.length === 1 ? "The template has an error" : `The template has ${problems.length} errors`}>
          <List>
            {problems.map((problem, index) => (
              <List.Item key={index}>
                <span data-template-error={problem.part}>
                  {PART_LABELS[problem.part]}, {describeError(problem)}
                </span>
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: 2, lg: "2fr 2fr 1fr" }} gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Message
            </Text>
            <TextField label="Subject" autoComplete="off" value={source.subject} onChange={change("subject")} error={errors.subject} monospaced />
            <TextField label="HTML" autoComplete="off" value={source.html} onChange={change("html")} error={errors.html} multiline={12} maxHeight={480} monospaced spellCheck={false} />
            <TextField label="Plain text" autoComplete="off" value={source.text} onChange={change("text")} error={errors.text} multiline={8} maxHeight={360} monospaced />
            <InlineStack gap="200" align="end">
              <sandboxer.Form method="post" noValidate>
                <input type="hidden" name="intent" value="sandbox" />
                {hidden}
                <Button submit loading={sandboxer.state !== "idle"} disabled={!data.contactEmail}>
                  Check with SendGrid (sandbox)
                </Button>
              </sandboxer.Form>
              <tester.Form method="post" noValidate>
                <input type="hidden" name="intent" value="test" />
                {hidden}
                <Button submit loading={tester.state !== "idle"} disabled={!data.contactEmail}>
                  {data.contactEmail ? `Send test to ${data.contactEmail}` : "Send test (no contact email)"}
                </Button>
              </tester.Form>
              <saver.Form method="post" noValidate>
                <input type="hidden" name="intent" value="save" />
                {hidden}
                <Button submit variant="primary" loading={saver.state !== "idle"}>
                  Save
                </Button>
              </saver.Form>
            </InlineStack>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Preview
              </Text>
              {previewer.state !== "idle" ? (
                <Text as="span" tone="subdued">
                  Updating…
                </Text>
              ) : null}
            </InlineStack>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
              <Select label="Carrier" options={PREVIEW_CARRIERS.map((c) => ({ label: c.name, value: c.code }))} value={scenario.carrierCode} onChange={changeScenario("carrierCode")} />
              <Select label="Destination" options={PREVIEW_DESTINATIONS.map((code) => ({ label: countryLabel(code), value: code }))} value={scenario.destination} onChange={changeScenario("destination")} />
              <Select label="Buyer's language" options={data.locales.map((l) => ({ label: l.label, value: l.locale }))} value={scenario.locale} onChange={changeScenario("locale")} />
            </InlineGrid>
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
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Variables
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              Write {"{{ name }}"} to insert a value; {"{% if name %}…{% endif %}"} to show text only when it is set.
            </Text>
            {VARIABLE_REFERENCE.map((group) => (
              <BlockStack key={group.group} gap="100">
                <Text as="h3" variant="headingSm">
                  {group.group}
                </Text>
                {group.variables.map((variable) => (
                  <Box key={variable.name}>
                    <Text as="p" variant="bodySm" breakWord>
                      <code>{`{{ ${variable.name} }}`}</code>
                    </Text>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {variable.description}
                    </Text>
                  </Box>
                ))}
              </BlockStack>
            ))}
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}
