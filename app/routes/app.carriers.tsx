import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { loadCarriersReport } from "~/admin/carriers.server";
import { CarrierLanes } from "~/components/CarrierLanes";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ report: await loadCarriersReport(db, session.shop, new Date()) });
};

// Every destination is in the report: choosing another only changes the URL, the figures stay loaded.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) =>
  !formMethod && currentUrl.pathname === nextUrl.pathname ? false : defaultShouldRevalidate;

export default function Carriers() {
  const { report } = useLoaderData<typeof loader>();
  return (
    <Page title="Carriers" subtitle="How each carrier does on your lanes, from your own shipments">
      <Layout>
        <Layout.Section>
          <CarrierLanes report={report} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
