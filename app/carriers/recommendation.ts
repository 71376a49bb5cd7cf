// The plain-language advice for one destination, only where every carrier it names has enough
// delivered parcels behind it, and always with that evidence.
import { destinationName } from "./destination-name";

export interface Recommendation {
  /** "To Brazil: Correios delivered 9 in 10 parcels within 21 business days (212 parcels), DHL Express within 6 (48 parcels)." */
  evidence: string;
  /** "Fastest: DHL Express, 15 business days sooner than Correios for 9 in 10 parcels."; null when they are level. */
  advice: string | null;
  /** The carrier id the advice names. */
  fastest: string | null;
}

interface ComparedCarrier {
  id: string;
  label: string;
  parcels: number;
  delivered: number;
  p90Days: number | null;
}

const days = (n: number): string => `${n} business ${n === 1 ? "day" : "days"}`;

export function recommendCarrier(
  lane: { destination: string; region: string | null; carriers: readonly ComparedCarrier[] },
  minDelivered: number,
): Recommendation | null {
  const compared = lane.carriers.filter((c) => c.delivered >= minDelivered);
  const timed = compared.filter((c) => c.p90Days !== null).sort((a, b) => b.parcels - a.parcels);
  if (compared.length < 2 || timed.length === 0) return null;
  const [first, ...others] = timed;
  const phrases = [
    `${first!.label} delivered 9 in 10 parcels within ${days(first!.p90Days!)} (${parcels(first!.parcels)})`,
    ...others.map((c) => `${c.label} within ${c.p90Days} (${parcels(c.parcels)})`),
    ...compared.filter((c) => c.p90Days === null).map((c) => `${c.label} has not delivered 9 in 10 yet (${parcels(c.parcels)})`),
  ];
  const evidence = `To ${destinationName(lane.destination, lane.region)}: ${phrases.join(", ")}.`;
  const bySpeed = [...timed].sort((a, b) => a.p90Days! - b.p90Days!);
  const [fastest, next] = bySpeed;
  if (next && next.p90Days === fastest!.p90Days) return { evidence, advice: null, fastest: null };
  const advice = next
    ? `Fastest: ${fastest!.label}, ${days(next.p90Days! - fastest!.p90Days!)} sooner than ${next.label} for 9 in 10 parcels.`
    : `Fastest: ${fastest!.label}; the others have not delivered 9 in 10 parcels yet.`;
  return { evidence, advice, fastest: fastest!.id };
}

const parcels = (n: number): string => `${n.toLocaleString("en")} ${n === 1 ? "parcel" : "parcels"}`;
