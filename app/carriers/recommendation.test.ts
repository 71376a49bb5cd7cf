import { describe, expect, it } from "vitest";
import { recommendCarrier } from "~/carriers/recommendation";

const carrier = (id: string, label: string, parcels: number, delivered: number, p90Days: number | null) => ({ id, label, parcels, delivered, p90Days });

describe("recommendCarrier", () => {
  it.each([
    {
      name: "names each compared carrier's 9-in-10 time and parcels, the busiest first, and the fastest",
      carriers: [carrier("dhl_express", "DHL Express", 48, 45, 6), carrier("correios", "Correios", 212, 200, 21)],
      expected: {
        evidence: "To Brazil: Correios delivered 9 in 10 parcels within 21 business days (212 parcels), DHL Express within 6 (48 parcels).",
        advice: "Fastest: DHL Express, 15 business days sooner than Correios for 9 in 10 parcels.",
        fastest: "dhl_express",
      },
    },
    {
      name: "leaves out a carrier with too few delivered parcels, and says nothing with one carrier left",
      carriers: [carrier("correios", "Correios", 212, 200, 21), carrier("dhl_express", "DHL Express", 30, 19, 6)],
      expected: null,
    },
    {
      name: "gives no advice when the carriers are level",
      carriers: [carrier("correios", "Correios", 30, 25, 1), carrier("ups", "UPS", 20, 20, 1)],
      expected: {
        evidence: "To Brazil: Correios delivered 9 in 10 parcels within 1 business day (30 parcels), UPS within 1 (20 parcels).",
        advice: null,
        fastest: null,
      },
    },
    {
      name: "says so when a carrier has not delivered 9 in 10 yet",
      carriers: [carrier("correios", "Correios", 300, 150, null), carrier("ups", "UPS", 25, 24, 9)],
      expected: {
        evidence: "To Brazil: UPS delivered 9 in 10 parcels within 9 business days (25 parcels), Correios has not delivered 9 in 10 yet (300 parcels).",
        advice: "Fastest: UPS; the others have not delivered 9 in 10 parcels yet.",
        fastest: "ups",
      },
    },
    {
      name: "says nothing when no carrier has delivered 9 in 10",
      carriers: [carrier("correios", "Correios", 300, 150, null), carrier("ups", "UPS", 25, 24, null)],
      expected: null,
    },
  ])("$name", ({ carriers, expected }) => {
    expect(recommendCarrier({ destination: "BR", region: null, carriers }, 20)).toEqual(expected);
  });

  it("names the region of a regional lane", () => {
    const carriers = [carrier("usps", "USPS", 40, 40, 5), carrier("ups", "UPS", 20, 20, 3)];
    expect(recommendCarrier({ destination: "US", region: "CA", carriers }, 20)?.evidence).toMatch(/^To United States, CA: USPS delivered/);
  });
});
