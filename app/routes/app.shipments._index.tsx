import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  ChoiceList,
  EmptySearchResult,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Tabs,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import { useListFilters } from "~/components/useListFilters";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import {
  SHIPMENT_PAGE_SIZE,
  SHIPMENT_STATUS_TONE,
  SHIPMENT_STATUS_FILTERS,
  formatDate,
  formatWindow,
  humanize,
  parsePageRequest,
  parseShipmentFilters,
} from "~/admin/shipments";
import { countAtRisk, listShipments, shipmentFilterChoices } from "~/admin/shipments.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const filters = parseShipmentFilters(params);
  const now = new Date();
  const [list, choices, atRiskCount] = await Promise.all([
    listShipments(db, session.shop, filters, parsePageRequest(params, SHIPMENT_PAGE_SIZE), now),
    shipmentFilterChoices(db, session.shop),
    countAtRisk(db, session.shop, now),
  ]);
  return json({ filters, list, choices, atRiskCount });
};

const RISK_LABEL: Record<string, string> = {
  overdue: "At risk: overdue",
  silent: "At risk: no updates",
  exception: "At risk: carrier problem",
};

const FILTER_KEYS = ["status", "carrier", "country"] as const;

export default function Shipments() {
  const { filters, list, choices, atRiskCount } = useLoaderData<typeof loader>();
  const { searchParams, setSearchParams, navigation, current, query, setQuery, update, setList, pageKeys } = useListFilters(filters.query);
  const shown = parseShipmentFilters(current);
  const { smDown } = useBreakpoints();
  const timezone = list.settings.timezone;

  const selected = { status: shown.statuses as string[], carrier: shown.carriers, country: shown.countries };
  const choiceLabels: Record<(typeof FILTER_KEYS)[number], Map<string, string>> = {
    status: new Map(SHIPMENT_STATUS_FILTERS.map((s) => [s, s === "no_updates" ? "No carrier updates" : humanize(s)])),
    carrier: new Map(choices.carriers.map((c) => [c.value, c.label])),
    country: new Map(choices.countries.map((c) => [c.value, c.label])),
  };
  const names = { status: "Status", carrier: "Carrier", country: "Destination" };
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
        choices={[...choiceLabels[key]].map(([value, label]) => ({ value, label }))}
        selected={selected[key]}
        onChange={(values) => setList(key, values)}
      />
    ),
  }));
  const appliedFilters = FILTER_KEYS.filter((key) => selected[key].length).map((key) => ({
    key,
    label: `${names[key]}: ${selected[key].map((value) => choiceLabels[key].get(value) ?? value).join(", ")}`,
    onRemove: () => setList(key, []),
  }));

  const tabs = [
    { id: "all", content: "All" },
    { id: "at-risk", content: `At risk (${atRiskCount})`, accessibilityLabel: "At risk" },
  ];

  const rows = list.page.items.map((shipment, index) => {
    const status = shipment.status === "cancelled" ? "cancelled" : (shipment.shipmentStatus ?? "");
    const statusBadge = status ? <Badge tone={SHIPMENT_STATUS_TONE[status]}>{humanize(status)}</Badge> : <Badge>No updates</Badge>;
    const riskBadge = shipment.atRisk ? <Badge tone="critical">{RISK_LABEL[shipment.atRisk]}</Badge> : null;
    const title = (
      <Link url={`/app/shipments/${shipment.id}`} dataPrimaryLink monochrome removeUnderline>
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          {shipment.name ?? shipment.orderName ?? "Shipment"}
        </Text>
      </Link>
    );
    const window = shipment.deliveredAt
      ? `Delivered ${formatDate(shipment.deliveredAt, timezone)}`
      : formatWindow(shipment.estimatedDeliveryFrom, shipment.estimatedDeliveryTo, timezone);
    if (smDown) {
      return (
        <IndexTable.Row id={shipment.id} key={shipment.id} position={index}>
          <div style={{ padding: "12px 16px" }}>
            <BlockStack gap="100">
              <InlineStack align="space-between" gap="200" wrap={false}>
                {title}
                <Text as="span" tone="subdued">
                  {shipment.destinationCountry ?? ""}
                </Text>
              </InlineStack>
              <Text as="span" tone="subdued">
                {[shipment.orderName, shipment.carrier, shipment.trackingNumber].filter(Boolean).join(" · ")}
              </Text>
              <InlineStack gap="200">
                {statusBadge}
                {riskBadge}
              </InlineStack>
              {window ? <Text as="span">{window}</Text> : null}
            </BlockStack>
          </div>
        </IndexTable.Row>
      );
    }
    return (
      <IndexTable.Row id={shipment.id} key={shipment.id} position={index}>
        <IndexTable.Cell>{title}</IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack>
            <Text as="span">{shipment.orderName ?? ""}</Text>
            <Text as="span" tone="subdued">
              {shipment.buyerName ?? ""}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100">
            {statusBadge}
            {riskBadge}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack>
            <Text as="span">{shipment.carrier ?? ""}</Text>
            <Text as="span" tone="subdued">
              {shipment.trackingNumber ?? ""}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>{shipment.destinationCountry ?? ""}</IndexTable.Cell>
        <IndexTable.Cell>{formatDate(shipment.shippedAt, timezone)}</IndexTable.Cell>
        <IndexTable.Cell>{window}</IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const goTo = (key: "after" | "before", cursor: string | null) => {
    if (!cursor) return;
    const next = new URLSearchParams(searchParams);
    for (const pageKey of pageKeys) next.delete(pageKey);
    next.set(key, cursor);
    setSearchParams(next, { preventScrollReset: false });
  };

  return (
    <Page title="Shipments" subtitle={`${list.total.toLocaleString("en-US")} ${list.total === 1 ? "shipment" : "shipments"}`}>
      <Card padding="0">
        <Tabs
          tabs={tabs}
          selected={shown.atRisk ? 1 : 0}
          onSelect={(index) => update((params) => (index === 1 ? params.set("atRisk", "1") : params.delete("atRisk")))}
        />
        <Filters
          queryValue={query}
          queryPlaceholder="Search by order, fulfillment, tracking number or buyer"
          filters={filterMarkup}
          appliedFilters={appliedFilters}
          onQueryChange={setQuery}
          onQueryClear={() => setQuery("")}
          onClearAll={() => {
            setQuery("");
            update((params) => {
              for (const key of [...FILTER_KEYS, "query"]) params.delete(key);
            });
          }}
          loading={navigation.state === "loading"}
        />
        <IndexTable
          condensed={smDown}
          resourceName={{ singular: "shipment", plural: "shipments" }}
          itemCount={list.page.items.length}
          selectable={false}
          loading={navigation.state === "loading"}
          emptyState={
            <EmptySearchResult
              title={filters.atRisk ? "No shipments at risk" : "No shipments found"}
              description={filters.atRisk ? "Every parcel in transit is on time." : "Try changing the filters or the search."}
              withIllustration
            />
          }
          headings={[
            { title: "Shipment" },
            { title: "Order" },
            { title: "Status" },
            { title: "Carrier" },
            { title: "Destination" },
            { title: "Shipped" },
            { title: "Estimated delivery" },
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
