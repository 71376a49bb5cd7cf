// Which messages a buyer can opt out of: they carry the unsubscribe link and the List-Unsubscribe header,
// and an unsubscribe cancels those still waiting. The shipping confirmation and handling commitment are
// transactional.
import type { MessageKind } from "~/templates/variables";

export const UNSUBSCRIBABLE_KINDS: readonly MessageKind[] = ["delay_notice", "feedback_request"];

export const isUnsubscribable = (kind: string): boolean => (UNSUBSCRIBABLE_KINDS as readonly string[]).includes(kind);
