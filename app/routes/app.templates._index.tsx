import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { COMMON_LOCALES, KIND_INFO, localeLabel, normalizeLocale } from "~/admin/templates";
import { addLocale, markTemplatesReviewed, previewShop, removeLocale, templateOverview } from "~/admin/templates.server";
import { useToast } from "~/components/useToast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await previewShop(db, session.shop, new Date());
  if (!shop) throw new Response("This shop is not installed", { status: 404 });
  const overview = await templateOverview(db, session.shop, shop.primaryLocale);
  const present = new Set(overview.locales.map((l) => l.locale));
  return json({
    ...overview,
    primaryLocale: normalizeLocale(shop.primaryLocale) ?? "en",
    reviewed: Boolean(shop.templatesReviewedAt),
    addable: COMMON_LOCALES.filter((locale) => !present.has(locale))
      .map((locale) => ({ value: locale, label: localeLabel(locale) }))
      .sort((a, b) => a.label.localeCompare(b.label, "en")),
  });
};

interface ActionResult {
  intent: string;
  toast?: string;
  error?: string;
  errors?: Record<string, string>;
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "mark-reviewed") {
    await markTemplatesReviewed(db, session.shop, new Date());
    return json<ActionResult>({ intent, toast: "Templates marked as reviewed" });
  }
  if (intent === "add-locale" || intent === "remove-locale") {
    const locale = normalizeLocale(String(form.get("locale") ?? ""));
    if (!locale) return json<ActionResult>({ intent, errors: { locale: "Choose a language, e.g. nl or pt-BR" } }, { status: 400 });
    if (intent === "add-locale") {
      await addLocale(db, session.shop, locale);
      return json<ActionResult>({ intent, toast: `${localeLabel(locale)} added: translate each message` });
    }
    await removeLocale(db, session.shop, locale);
    return json<ActionResult>({ intent, toast: `${localeLabel(locale)} removed` });
  }
  return json<ActionResult>({ intent, error: "Unknown action" }, { status: 400 });
};

export default function Templates() {
  const { kinds, locales, primaryLocale, reviewed, addable } = useLoaderData<typeof loader>();
  const reviewer = useFetcher<ActionResult>();
  const adder = useFetcher<ActionResult>();
  const remover = useFetcher<ActionResult>();
  useToast(reviewer.data);
  useToast(adder.data);
  useToast(remover.data);
  const [newLocale, setNewLocale] = useState("");
  const editLocale = locales.some((l) => l.locale === primaryLocale) ? primaryLocale : "en";
  return (
    <Page title="Templates" subtitle="The messages buyers receive, in each of your languages" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        {reviewed ? null : (
          <Layout.Section>
            <Banner tone="info" title="Read your messages before buyers do">
              <BlockStack gap="200">
                <p>Each message starts from Parcelwise&apos;s text. Open each one, check the wording and the preview, then mark the templates as reviewed.</p>
                <reviewer.Form method="post">
                  <input type="hidden" name="intent" value="mark-reviewed" />
                  <Button submit loading={reviewer.state !== "idle"}>
                    Mark templates as reviewed
                  </Button>
                </reviewer.Form>
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {kinds.map(({ kind, customized }) => (
              <Card key={kind}>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {KIND_INFO[kind].title}
                  </Text>
                  <Text as="p" tone="subdued">
                    {KIND_INFO[kind].summary}
                  </Text>
                  <InlineStack gap="100" wrap>
                    {customized.length ? (
                      customized.map((locale) => (
                        <Badge key={locale} tone="info">
                          {`Your text: ${localeLabel(locale)}`}
                        </Badge>
                      ))
                    ) : (
                      <Badge>Parcelwise&apos;s text</Badge>
                    )}
                  </InlineStack>
                  <InlineStack>
                    <Button url={`/app/templates/${kind}?locale=${encodeURIComponent(editLocale)}`} accessibilityLabel={`Edit ${KIND_INFO[kind].title}`}>
                      Edit
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Languages
              </Text>
              <Text as="p" tone="subdued">
                Buyers get the message in their language when you have it, else in your store&apos;s language, else in English.
              </Text>
              <BlockStack gap="200">
                {locales.map((locale) => (
                  <InlineStack key={locale.locale} align="space-between" blockAlign="center" gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span">{locale.label}</Text>
                      {locale.builtIn ? <Badge>Built in</Badge> : <Badge tone="info">Added by you</Badge>}
                    </InlineStack>
                    {locale.builtIn ? null : (
                      <remover.Form method="post">
                        <input type="hidden" name="intent" value="remove-locale" />
                        <input type="hidden" name="locale" value={locale.locale} />
                        <Button submit variant="plain" tone="critical" accessibilityLabel={`Remove ${locale.label}`}>
                          Remove
                        </Button>
                      </remover.Form>
                    )}
                  </InlineStack>
                ))}
              </BlockStack>
              <adder.Form method="post" noValidate>
                <input type="hidden" name="intent" value="add-locale" />
                <InlineGrid columns={{ xs: 1, sm: "1fr auto" }} gap="200" alignItems="end">
                  <Select
                    label="Add a language"
                    name="locale"
                    options={[{ label: "Choose a language", value: "" }, ...addable]}
                    value={newLocale}
                    onChange={setNewLocale}
                    error={adder.data?.errors?.locale}
                  />
                  <Box>
                    <Button submit disabled={!newLocale} loading={adder.state !== "idle"}>
                      Add language
                    </Button>
                  </Box>
                </InlineGrid>
              </adder.Form>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Box paddingBlockEnd="800" />
    </Page>
  );
}
