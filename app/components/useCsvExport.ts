// Downloads a CSV export of an admin page. The file comes through fetch, which carries the session
// token (a plain link would not), and is handed to the browser as a download.
import { useAppBridge } from "@shopify/app-bridge-react";
import { useState } from "react";

export function useCsvExport(options: { fallbackName: string; doneMessage: string }) {
  const shopify = useAppBridge();
  const [exporting, setExporting] = useState(false);
  const exportCsv = async (path: string) => {
    setExporting(true);
    try {
      const response = await fetch(path);
      if (!response.ok) throw new Error(`the export failed (${response.status})`);
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? options.fallbackName;
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = name;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      shopify.toast.show(options.doneMessage);
    } catch (error) {
      shopify.toast.show(`Export failed: ${(error as Error).message}`, { isError: true });
    } finally {
      setExporting(false);
    }
  };
  return { exporting, exportCsv };
}
