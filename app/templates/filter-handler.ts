// The shape of a template filter, and what one prints for nothing.
import type { FilterImplOptions } from "liquidjs";

type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;
export type FilterHandler = (this: FilterImpl, value: unknown, ...args: unknown[]) => unknown;

export function asText(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}
