// The shop's own business days per carrier and destination region, beside the carrier's typical days.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Region } from "~/carriers/registry";
import { REGION_LABELS, REGIONS } from "~/admin/settings";
import type { SettingsFormResult } from "~/admin/settings-form";
import type { LoadedSettings } from "~/admin/settings.server";
import { useToast } from "~/components/useToast";

type CarrierSettings = LoadedSettings["carriers"][number];

export function TransitForm({ carriers }: { carriers: CarrierSettings[] }) {
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
  const fetcher = useFetcher<SettingsFormResult>();
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
