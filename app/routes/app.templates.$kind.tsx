import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Select } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import type { TemplateEditorResult } from "~/admin/template-editor";
import { checkWithSendGrid, loadTemplateEditor, previewTemplate, resetToDefault, sendTemplateTest, submitTemplate, type EditorSubmission } from "~/admin/template-editor.server";
import { isMessageKind, KIND_INFO, normalizeLocale } from "~/admin/templates";
import { mailConfig } from "~/admin/test-send.server";
import { TemplateEditor } from "~/components/template-editor/TemplateEditor";
import { useToast } from "~/components/useToast";
import type { MessageKind } from "~/templates/variables";

function kindOf(params: { kind?: string }): MessageKind {
  const kind = params.kind ?? "";
  if (!isMessageKind(kind)) throw new Response("No such message", { status: 404 });
  return kind;
}

const notInstalled = () => new Response("This shop is not installed", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOf(params);
  const editor = await loadTemplateEditor(db, session.shop, kind, new URL(request.url).searchParams, new Date(), env().SHOPIFY_APP_URL);
  if (!editor) throw notInstalled();
  return json(editor);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const kind = kindOf(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const locale = normalizeLocale(String(form.get("locale") ?? ""));
  if (!locale) return json<TemplateEditorResult>({ intent, error: "This language code is not valid" }, { status: 400 });
  const editing: EditorSubmission = { db, shop: session.shop, kind, locale, form, now: new Date(), appUrl: env().SHOPIFY_APP_URL };
  const result = await submit(intent, editing);
  if (!result) throw notInstalled();
  return json<TemplateEditorResult>(result, { status: result.error ? 400 : 200 });
};

function submit(intent: string, editing: EditorSubmission): Promise<TemplateEditorResult | null> {
  switch (intent) {
    case "reset":
      return resetToDefault(editing);
    case "save":
      return submitTemplate(editing);
    case "preview":
      return previewTemplate(editing);
    case "test":
      return sendTemplateTest(editing, mailConfig());
    case "sandbox":
      return checkWithSendGrid(editing, mailConfig());
    default:
      return Promise.resolve({ intent, error: "Unknown action" });
  }
}

export default function TemplateEditorPage() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  // Kept outside the keyed editor so a toast survives the editor starting over after a save or reset.
  const saver = useFetcher<TemplateEditorResult>();
  const tester = useFetcher<TemplateEditorResult>();
  const sandboxer = useFetcher<TemplateEditorResult>();
  const resetter = useFetcher<TemplateEditorResult>();
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
          <TemplateEditor key={`${data.kind}:${data.locale}:${data.template.customized}`} data={data} scenario={scenario} setScenario={setScenario} saver={saver} tester={tester} sandboxer={sandboxer} />
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}
