import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  EmptySearchResult,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";
import { useState } from "react";
import { useCsvExport } from "~/components/useCsvExport";
import { useListFilters } from "~/components/useListFilters";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { MESSAGE_KINDS } from "~/templates/variables";
import { ACTIVITY_PAGE_SIZE, NOTIFICATION_STATUSES, NOTIFICATION_TONE, activityFilterParams, parseActivityFilters } from "~/admin/activity";
import { listActivity } from "~/admin/activity.server";
import { formatDate, humanize, parsePageRequest } from "~/admin/shipments";
import { listSettings } from "~/admin/shipments.server";
import { merchantActionNote } from "~/notifications/merchant";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const { filters, errors } = parseActivityFilters(params);
  const [list, settings] = await Promise.all([
    listActivity(db, session.shop, filters, parsePageRequest(params, ACTIVITY_PAGE_SIZE)),
    listSettings(db, session.shop),
  ]);
  return json({
    filters,
    errors,
    // What the merchant typed, shown back next to its error.
    dates: { from: params.get("from") ?? "", to: params.get("to") ?? "" },
    list,
    timezone: settings.timezone,
  });
};

const FILTER_KEYS = ["status", "kind"] as const;

export default function Activity() {
  const { filters, errors, dates, list, timezone } = useLoaderData<typeof loader>();
  const { searchParams, setSearchParams, navigation, current, query, setQuery, update, setList, pageKeys } = useListFilters(filters.query);
  const shown = parseActivityFilters(current).filters;
  const { smDown } = useBreakpoints();
  const [from, setFrom] = useState(dates.from);
  const [to, setTo] = useState(dates.to);
  const { exporting, exportCsv: exportFile } = useCsvExport({ fallbackName: "parcelwise-activity.csv", doneMessage: "Activity exported" });

  const applyDates = () =>
    update((params) => {
      for (const [key, value] of [["from", from], ["to", to]] as const) {
        if (value) params.set(key, value);
        else params.delete(key);
      }
    });

  const exportCsv = () => exportFile(`/app/activity/csv?${activityFilterParams(filters).toString()}`);

  const selected = { status: shown.statuses as string[], kind: shown.kinds as string[] };
  const options = {
    status: NOTIFICATION_STATUSES.map((value) => ({ value, label: humanize(value) })),
    kind: MESSAGE_KINDS.map((value) => ({ value, label: humanize(value) })),
  };
  const names = { status: "Status", kind: "Message" };
  const filterMarkup = FILTER_KEYS.map((key) => ({
    key,
    label: names[key],
    pinned: true,
    shortcut: true,
    filter: (
      <ChoiceList
        title={names[key]}
        titleHidden
        allowMultiple
        choices={options[key]}
        selected={selected[key]}
        onChange={(values) => setList(key, values)}
      />
    ),
  }));
  const appliedFilters = FILTER_KEYS.filter((key) => selected[key].length).map((key) => ({
    key,
    label: `${names[key]}: ${selected[key].map(humanize).join(", ")}`,
    onRemove: () => setList(key, []),
  }));

  const rows = list.page.items.map((message, index) => {
    const title = (
      <Link url={`/app/activity/${message.id}`} dataPrimaryLink monochrome removeUnderline>
        <Text as="span" fontWeight="semibold">
          {humanize(message.kind)}
        </Text>
      </Link>
    );
    const when = formatDate(message.sentAt ?? message.scheduledFor, timezone, true);
    const status = (
      <InlineStack gap="100">
        <Badge tone={NOTIFICATION_TONE[message.status]}>{humanize(message.status)}</Badge>
        {message.providerEvent && message.providerEvent !== message.status ? <Badge>{humanize(message.providerEvent)}</Badge> : null}
        {message.feedback ? <FeedbackBadge feedback={message.feedback} /> : null}
      </InlineStack>
    );
    const order = message.orderName ?? message.orderShopifyId;
    if (smDown) {
      return (
        <IndexTable.Row id={message.id} key={message.id} position={index}>
          <div style={{ padding: "12px 16px" }}>
            <BlockStack gap="100">
              <InlineStack align="space-between" gap="200" wrap={false}>
                {title}
                <Text as="span" tone="subdued">
                  {when}
                </Text>
              </InlineStack>
              <Text as="span" tone="subdued" breakWord>
                {order} · {message.recipient}
              </Text>
              {status}
              {merchantActionNote(message.merchantAction) ? (
                <Text as="span" tone="subdued">
                  {merchantActionNote(message.merchantAction)}
                </Text>
              ) : null}
              {message.lastError ? (
                <Text as="span" tone="critical" breakWord>
                  {message.lastError}
                </Text>
              ) : null}
            </BlockStack>
          </div>
        </IndexTable.Row>
      );
    }
    return (
      <IndexTable.Row id={message.id} key={message.id} position={index}>
        <IndexTable.Cell>{when}</IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack>
            {title}
            <Text as="span" tone="subdued" truncate>
              {message.subject ?? ""}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>{message.recipient}</IndexTable.Cell>
        <IndexTable.Cell>{order}</IndexTable.Cell>
        <IndexTable.Cell>{status}</IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" tone="subdued" variant="bodySm">
            {message.providerMessageId ?? ""}
          </Text>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Box maxWidth="280px">
            <BlockStack>
              {merchantActionNote(message.merchantAction) ? (
                <Text as="span" tone="subdued">
                  {merchantActionNote(message.merchantAction)}
                </Text>
              ) : null}
              <Text as="span" tone="critical" breakWord>
                {message.lastError ?? ""}
              </Text>
            </BlockStack>
          </Box>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const goTo = (key: "after" | "before", cursor: string | null) => {
    if (!cursor) return;
    const next = new URLSearchParams(searchParams);
    for (const pageKey of pageKeys) next.delete(pageKey);
    next.set(key, cursor);
    setSearchParams(next);
  };

  return (
    <Page
      title="Activity"
      subtitle={`${list.total.toLocaleString("en-US")} ${list.total === 1 ? "message" : "messages"}`}
      primaryAction={{ content: "Export CSV", onAction: exportCsv, loading: exporting }}
    >
      <Card padding="0">
        <Filters
          queryValue={query}
          queryPlaceholder="Search by recipient, order, subject or provider message id"
          filters={filterMarkup}
          appliedFilters={appliedFilters}
          onQueryChange={setQuery}
          onQueryClear={() => setQuery("")}
          onClearAll={() => {
            setQuery("");
            setFrom("");
            setTo("");
            update((params) => {
              for (const key of [...FILTER_KEYS, "query", "from", "to"]) params.delete(key);
            });
          }}
          loading={navigation.state === "loading"}
        />
        <Box paddingInline="300" paddingBlockEnd="300">
          <InlineStack gap="300" blockAlign="end" wrap>
            <Box minWidth="160px">
              <TextField label="From" type="date" autoComplete="off" value={from} onChange={setFrom} error={errors.from} />
            </Box>
            <Box minWidth="160px">
              <TextField label="To" type="date" autoComplete="off" value={to} onChange={setTo} error={errors.to} />
            </Box>
            <Box paddingBlockEnd={errors.from || errors.to ? "600" : "0"}>
              <Button onClick={applyDates}>Apply dates</Button>
            </Box>
          </InlineStack>
        </Box>
        <IndexTable
          condensed={smDown}
          resourceName={{ singular: "message", plural: "messages" }}
          itemCount={list.page.items.length}
          selectable={false}
          loading={navigation.state === "loading"}
          emptyState={<EmptySearchResult title="No messages found" description="Try changing the filters or the search." withIllustration />}
          headings={[
            { title: "Date" },
            { title: "Message" },
            { title: "Recipient" },
            { title: "Order" },
            { title: "Status" },
            { title: "Provider message id" },
            { title: "Error" },
          ]}
          pagination={{
            hasNext: Boolean(list.page.next),
            hasPrevious: Boolean(list.page.previous),
            onNext: () => goTo("after", list.page.next),
            onPrevious: () => goTo("before", list.page.previous),
          }}
        >
          {rows}
        </IndexTable>
      </Card>
    </Page>
  );
}

/** A feedback request's clicks: not clicked, clicked (the review button), or the last star clicked. */
function FeedbackBadge({ feedback }: { feedback: { clicked: boolean; clicks: number; rating: number | null } }) {
  if (!feedback.clicked) return <Badge tone="new">Not clicked</Badge>;
  const what = feedback.rating ? `${feedback.rating} ${feedback.rating === 1 ? "star" : "stars"}` : "review button";
  return <Badge tone="info">{`Clicked: ${what}`}</Badge>;
}
