// Shows App Bridge's toast for an action's outcome: `{ toast }` on success, `{ error }` as an error toast.
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

export interface ActionFeedback {
  toast?: string;
  error?: string;
}

export function useToast(feedback: ActionFeedback | undefined | null) {
  const shopify = useAppBridge();
  useEffect(() => {
    if (feedback?.toast) shopify.toast.show(feedback.toast);
    else if (feedback?.error) shopify.toast.show(feedback.error, { isError: true });
  }, [feedback, shopify]);
}
