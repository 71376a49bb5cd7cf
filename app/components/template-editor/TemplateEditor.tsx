// The template editor: the message's three parts with save and the two test sends, the live preview
// (rendered on the server as the merchant types) and the variable reference.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, List, Text, TextField } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { describeError, errorsByPart, PART_LABELS, type EditorError } from "~/admin/templates";
import type { TemplateEditorResult } from "~/admin/template-editor";
import type { TemplateEditorPage } from "~/admin/template-editor.server";
import { MessagePreview, type ScenarioField } from "./MessagePreview";
import { VariableReference } from "./VariableReference";

type Fetcher = ReturnType<typeof useFetcher<TemplateEditorResult>>;

type Scenario = TemplateEditorPage["scenario"];

export function TemplateEditor(props: {
  data: TemplateEditorPage;
  scenario: Scenario;
  setScenario: (update: (current: Scenario) => Scenario) => void;
  saver: Fetcher;
  tester: Fetcher;
  sandboxer: Fetcher;
}) {
  const { data, scenario, setScenario, saver, tester, sandboxer } = props;
  const [source, setSource] = useState(data.template.source);
  const previewer = useFetcher<TemplateEditorResult>();
  const submitPreview = useRef(previewer.submit);
  submitPreview.current = previewer.submit;

  // The preview is rendered on the server, a moment after the merchant stops typing. The loader already
  // rendered the stored text with the page's scenario.
  const loaded = JSON.stringify([source, scenario]) === JSON.stringify([data.template.source, data.scenario]);
  useEffect(() => {
    if (loaded) return;
    const timer = setTimeout(() => {
      submitPreview.current({ intent: "preview", locale: data.locale, ...source, carrier: scenario.carrierCode, destination: scenario.destination, previewLocale: scenario.locale, lane: scenario.lane ?? "" }, { method: "post" });
    }, 350);
    return () => clearTimeout(timer);
  }, [loaded, source, scenario, data.locale]);

  const change = (part: "subject" | "html" | "text") => (value: string) => setSource((current) => ({ ...current, [part]: value }));
  const changeScenario = (field: ScenarioField) => (value: string) => setScenario((current) => ({ ...current, [field]: value }));

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
      <input type="hidden" name="lane" value={scenario.lane ?? ""} />
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
        <MessagePreview scenario={scenario} change={changeScenario} locales={data.locales} lanes={data.lanes} preview={preview} updating={previewer.state !== "idle"} />
        <VariableReference />
      </InlineGrid>
    </BlockStack>
  );
}
