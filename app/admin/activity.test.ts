import { describe, expect, it } from "vitest";
import { activityFilterParams, activityWhere, messageActions, parseActivityFilters, resendPlanKey } from "./activity";
import { activityCsvHeader, activityCsvLine, csvCell, csvLine, type ActivityCsvRow } from "./activity-csv";

describe("activity filters from the URL", () => {
  it("keeps known statuses and kinds and round-trips", () => {
    const { filters, errors } = parseActivityFilters(
      new URLSearchParams("query=ada&status=sent,bogus&status=failed&kind=delay_notice&kind=nope&from=2026-03-01&to=2026-03-31"),
    );
    expect(errors).toEqual({});
    expect(filters).toEqual({ query: "ada", statuses: ["sent", "failed"], kinds: ["delay_notice"], from: "2026-03-01", to: "2026-03-31" });
    expect(parseActivityFilters(activityFilterParams(filters)).filters).toEqual(filters);
  });

  it("says what is wrong with a date, next to its field, and does not apply it", () => {
    expect(parseActivityFilters(new URLSearchParams("from=yesterday")).errors).toEqual({ from: expect.stringMatching(/YYYY-MM-DD/) });
    expect(parseActivityFilters(new URLSearchParams("to=2026-02-30")).errors).toEqual({ to: expect.stringMatching(/YYYY-MM-DD/) });
    const reversed = parseActivityFilters(new URLSearchParams("from=2026-03-10&to=2026-03-01"));
    expect(reversed.errors).toEqual({ to: "The end date is before the start date" });
    expect(reversed.filters.from).toBe("");
    expect(reversed.filters.to).toBe("");
  });

  it("reads dates as whole days in the shop's time zone", () => {
    const where = activityWhere(
      "a.myshopify.com",
      { query: "", statuses: [], kinds: [], from: "2026-03-01", to: "2026-03-31" },
      { timezone: "Europe/Berlin" },
    );
    expect(where).toEqual({
      shop: "a.myshopify.com",
      AND: [
        { createdAt: { gte: new Date("2026-02-28T23:00:00.000Z") } },
        // Summer time starts on 29 March: midnight of 1 April is 22:00 UTC.
        { createdAt: { lt: new Date("2026-03-31T22:00:00.000Z") } },
      ],
    });
    expect(activityWhere("a.myshopify.com", { query: "", statuses: [], kinds: [], from: "", to: "" }, { timezone: "UTC" })).toEqual({ shop: "a.myshopify.com" });
  });
});

describe("what a merchant can do with a message", () => {
  it("depends on its status", () => {
    expect(messageActions("scheduled")).toEqual(["send_now", "cancel"]);
    expect(messageActions("failed")).toEqual(["send_now"]);
    for (const status of ["sent", "delivered", "bounced", "dropped", "spam"]) expect(messageActions(status)).toEqual(["resend"]);
    expect(messageActions("sending")).toEqual([]);
    expect(messageActions("cancelled")).toEqual([]);
    expect(resendPlanKey("abc", 2)).toBe("resend:abc:2");
  });
});

/** RFC 4180 reader, to prove what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe("CSV", () => {
  it("quotes quotes, commas and line breaks", () => {
    expect(csvCell('He said "hi"')).toBe('"He said ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvCell("cr\r")).toBe('"cr\r"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell(3)).toBe("3");
    expect(csvCell(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\",\"x\")")).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("reads back as the values written", () => {
    const row: ActivityCsvRow = {
      id: "n1",
      createdAt: new Date("2026-01-02T03:04:05.000Z"),
      scheduledFor: new Date("2026-01-02T03:04:05.000Z"),
      sentAt: null,
      kind: "delay_notice",
      status: "failed",
      recipient: "ada@example.test",
      locale: "de",
      orderShopifyId: "1001",
      shipmentShopifyId: null,
      trackingNumber: "LX1",
      subject: 'Ihre Bestellung, "#1001"\nist unterwegs',
      providerMessageId: null,
      providerEvent: null,
      providerEventAt: null,
      attempts: 2,
      lastError: "=cmd|' /C calc'!A0",
      merchantAction: "sent_now",
    };
    const [header, values] = parseCsv(activityCsvHeader() + activityCsvLine(row));
    expect(header).toContain("provider_message_id");
    const record = Object.fromEntries(header!.map((name, i) => [name, values![i]]));
    expect(record.subject).toBe(row.subject);
    expect(record.error).toBe(`'${row.lastError}`);
    expect(record.merchant_action).toBe("sent_now");
    expect(record.attempts).toBe("2");
    expect(record.sent_at).toBe("");
    expect(csvLine(["a", "b"])).toBe("a,b\r\n");
  });
});
