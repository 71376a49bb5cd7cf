// The default feedback request in every locale thanks the buyer for their patience first after a delay
// (`feedback.after_delay`), and says nothing of it otherwise.
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALES, defaultTemplate } from "~/templates/defaults";
import { renderMessage } from "~/templates/render";
import { sampleFeedback, sampleVariables } from "#tests/support/sample-variables";
import type { LocaleStrings } from "~/templates/locales/build";
import en from "~/templates/locales/en";
import es from "~/templates/locales/es";
import fr from "~/templates/locales/fr";
import de from "~/templates/locales/de";
import pt from "~/templates/locales/pt";
import ptPT from "~/templates/locales/pt-PT";
import itIT from "~/templates/locales/it";
import ja from "~/templates/locales/ja";
import zhCN from "~/templates/locales/zh-CN";

const STRINGS: Record<string, LocaleStrings> = { en, es, fr, de, pt, "pt-PT": ptPT, it: itIT, ja, "zh-CN": zhCN };

const NOW = new Date("2026-11-27T10:00:00Z");

it("every default locale has its patience string", () => {
  expect([...DEFAULT_LOCALES].sort()).toEqual(Object.keys(STRINGS).sort());
});

describe.each(DEFAULT_LOCALES)("the %s feedback request", (locale) => {
  const patience = STRINGS[locale]!.feedback_request.patience;
  const render = (afterDelay: boolean | undefined) =>
    renderMessage(defaultTemplate("feedback_request", locale), sampleVariables({ locale, ...(afterDelay === undefined ? {} : { feedback: sampleFeedback({ after_delay: afterDelay }) }) }), NOW);

  it("after a delay, opens with thanks for the buyer's patience, before the rest", async () => {
    expect(patience.length).toBeGreaterThan(20);
    const mail = await render(true);
    const start = mail.text.indexOf(patience);
    expect(start).toBeGreaterThan(-1);
    expect(mail.html).toContain(patience.slice(0, 12));
    // Only the greeting comes before it.
    expect(mail.text.slice(0, start).trim().split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("without a delay (or a template rendered without the variable), says nothing of it", async () => {
    for (const afterDelay of [false, undefined]) expect((await render(afterDelay)).text).not.toContain(patience);
  });
});
