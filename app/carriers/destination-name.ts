// How a destination reads on the Carriers page: "Brazil", or "Brazil, SP" for a region of it.
import { countryLabel } from "~/admin/templates";

export function destinationName(destination: string, region: string | null = null): string {
  const country = countryLabel(destination);
  return region ? `${country}, ${region}` : country;
}
