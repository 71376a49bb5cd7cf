// The browser side of a merchant's action on one message (send now, resend, cancel), shared by the
// shipment page and the message page: posts to the message's route and reports the outcome in a toast.
import { useFetcher } from "@remix-run/react";
import { useToast } from "~/components/useToast";
import type { MessageAction } from "./activity";

export interface MessageActionResponse {
  ok: boolean;
  toast?: string;
  error?: string;
  notificationId?: string;
}

export function useMessageAction(notificationId: string) {
  const fetcher = useFetcher<MessageActionResponse>();
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useToast(result);
  const pending = fetcher.state !== "idle" ? (fetcher.formData?.get("intent") as MessageAction | null) : null;
  return {
    run: (intent: MessageAction) => fetcher.submit({ intent }, { method: "post", action: `/app/activity/${notificationId}` }),
    pending,
    error: result && !result.ok ? (result.error ?? null) : null,
  };
}
