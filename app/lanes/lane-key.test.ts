import { describe, expect, it } from "vitest";
import { carrierKey, laneKey, laneLevels, laneName } from "~/lanes/lane-key";

describe("carrierKey", () => {
  it.each(["DHL", "dhl express", "DHL Express", " DHL  Express Worldwide "])("%s is DHL Express", (name) => {
    expect(carrierKey(name)).toBe("dhl_express");
  });

  it("keeps an unknown carrier apart, only lowercased and trimmed", () => {
    expect(carrierKey("  Correios   Brasil ")).toBe("correios brasil");
    expect(carrierKey("CORREIOS")).toBe("correios");
    expect(carrierKey("")).toBe("unknown");
    expect(carrierKey(null)).toBe("unknown");
  });
});

describe("laneLevels", () => {
  it("goes from lane + region to lane, carrier + destination, then destination", () => {
    const key = laneKey({ carrier: "dhl express", originCountry: "cn", destinationCountry: " us", destinationRegion: "ca" });
    expect(key).toEqual({ carrier: "dhl_express", origin: "CN", destination: "US", region: "CA" });
    expect(laneLevels(key)).toEqual([
      { source: "lane_region", id: "lane_region:dhl_express|CN|US|CA" },
      { source: "lane", id: "lane:dhl_express|CN|US" },
      { source: "carrier_destination", id: "carrier_destination:dhl_express|US" },
      { source: "destination", id: "destination:US" },
    ]);
    expect(laneName(key)).toBe("dhl_express CN→US/CA");
  });

  it("starts at the lane when the region is unknown", () => {
    const key = laneKey({ carrier: "DHL", originCountry: "CN", destinationCountry: "US", destinationRegion: " " });
    expect(key.region).toBeNull();
    expect(laneLevels(key).map((level) => level.source)).toEqual(["lane", "carrier_destination", "destination"]);
  });
});
