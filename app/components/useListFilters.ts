// URL-backed filters of a server-paginated list (Shipments, Activity): every change replaces the search
// params and starts again at the first page; the search box applies once typing pauses. While a change
// loads, `current` already holds the filters asked for, so the controls show (and build on) them.
import { useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";

const PAGE_KEYS = ["after", "before"];

export function useListFilters(serverQuery: string) {
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const location = useLocation();
  const current =
    navigation.location?.pathname === location.pathname ? new URLSearchParams(navigation.location.search) : searchParams;
  const [query, setQuery] = useState(serverQuery);

  const update = (change: (params: URLSearchParams) => void) => {
    const next = new URLSearchParams(current);
    for (const key of PAGE_KEYS) next.delete(key);
    change(next);
    setSearchParams(next, { replace: true, preventScrollReset: true });
  };
  const setList = (key: string, values: string[]) =>
    update((params) => {
      params.delete(key);
      for (const value of values) params.append(key, value);
    });

  useEffect(() => {
    if (query === serverQuery) return;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(searchParams);
      for (const key of PAGE_KEYS) next.delete(key);
      if (query) next.set("query", query);
      else next.delete("query");
      setSearchParams(next, { replace: true, preventScrollReset: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [query, serverQuery, searchParams, setSearchParams]);

  return { searchParams, setSearchParams, navigation, current, query, setQuery, update, setList, pageKeys: PAGE_KEYS };
}
