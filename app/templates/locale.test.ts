import { describe, expect, it } from "vitest";
import { localeCandidates, matchLocale } from "./locale";

describe("localeCandidates", () => {
  it("tries the buyer's locale and language, then the shop's, then English, each once", () => {
    expect(localeCandidates("de-AT", "fr-CA")).toEqual(["de-AT", "de", "fr-CA", "fr", "en"]);
    expect(localeCandidates("en-GB", "en")).toEqual(["en-GB", "en"]);
    expect(localeCandidates("", "ja")).toEqual(["ja", "en"]);
  });
});

describe("matchLocale", () => {
  const supported = ["en", "de", "pt", "pt-PT", "zh-CN"];

  it("matches exactly, then by alias, then by language", () => {
    expect(matchLocale("pt_pt", supported)).toBe("pt-PT");
    expect(matchLocale("zh-Hans", supported)).toBe("zh-CN");
    expect(matchLocale("pt-BR", supported)).toBe("pt");
    expect(matchLocale("de-CH", supported)).toBe("de");
    expect(matchLocale("nl", supported)).toBeNull();
    expect(matchLocale(" ", supported)).toBeNull();
  });

  it("gives a Traditional Chinese reader Simplified only when asked to", () => {
    expect(matchLocale("zh-TW", supported)).toBeNull();
    expect(matchLocale("zh-Hant-HK", supported, { simplifiedForTraditional: true })).toBe("zh-CN");
  });
});
