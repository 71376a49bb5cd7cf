import { describe, expect, it } from "vitest";
import { webUrl } from "./web-url";

describe("webUrl", () => {
  it("keeps http and https links, normalised", () => {
    expect(webUrl("https://www.dhl.com/track?id=1")).toBe("https://www.dhl.com/track?id=1");
    expect(webUrl("HTTP://Carrier.example/B")).toBe("http://carrier.example/B");
  });

  it("refuses every other scheme, junk and nothing", () => {
    for (const bad of ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://carrier.example/", "/track/1", "not a url", "", null, undefined]) {
      expect(webUrl(bad)).toBeNull();
    }
  });
});
