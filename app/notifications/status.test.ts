import { describe, expect, it } from "vitest";
import { HANDED_OFF, NOTIFICATION_STATUSES, NOTIFICATION_TONE, RESENDABLE, canBeCancelled, canSendNow, isHandedOff, isPending, statusesBelow } from "./status";

describe("notification statuses", () => {
  it("are the nine the column holds", () => {
    expect([...NOTIFICATION_STATUSES]).toEqual(["scheduled", "sending", "sent", "delivered", "bounced", "dropped", "spam", "failed", "cancelled"]);
    expect(Object.keys(NOTIFICATION_TONE).sort()).toEqual([...NOTIFICATION_STATUSES].sort());
  });

  it("hand a message off to SendGrid from sending on, and only a waiting one can be cancelled", () => {
    expect([...HANDED_OFF]).toEqual(["sending", "sent", "delivered", "bounced", "dropped", "spam", "failed"]);
    expect(isHandedOff("scheduled")).toBe(false);
    expect(isHandedOff("cancelled")).toBe(false);
    expect([...RESENDABLE]).toEqual(["sent", "delivered", "bounced", "dropped", "spam"]);
    expect(NOTIFICATION_STATUSES.filter(canBeCancelled)).toEqual(["scheduled"]);
    expect(NOTIFICATION_STATUSES.filter(canSendNow)).toEqual(["scheduled", "failed"]);
    expect(NOTIFICATION_STATUSES.filter(isPending)).toEqual(["scheduled", "sending"]);
  });

  it("move only up the ladder SendGrid's events climb", () => {
    expect(statusesBelow("sent").sort()).toEqual(["failed", "scheduled", "sending"]);
    expect(statusesBelow("delivered").sort()).toEqual(["failed", "scheduled", "sending", "sent"]);
    expect(statusesBelow("bounced").sort()).toEqual(["delivered", "failed", "scheduled", "sending", "sent"]);
    expect(statusesBelow("spam")).not.toContain("dropped");
    expect(statusesBelow("cancelled")).toEqual([]);
  });
});
