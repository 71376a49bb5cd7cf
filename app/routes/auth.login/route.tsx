import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { login } from "~/shopify.server";

// With managed installation the login page is only reached outside the admin; login() redirects
// to the shop's admin or answers with the errors of the submitted shop domain.
export const loader = async ({ request }: LoaderFunctionArgs) => login(request);
export const action = async ({ request }: ActionFunctionArgs) => login(request);
