import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// The Shopify CLI sets SHOPIFY_APP_URL; Vite's dev server must accept that host behind the tunnel.
const appUrl = new URL(process.env.SHOPIFY_APP_URL || "http://localhost");

// The render pool's thread script, built beside the server bundle (build/server/render-thread.js), where
// app/templates/render-pool.server.ts looks for it first.
function renderThread(): Plugin {
  let ssr = false;
  return {
    name: "parcelwise-render-thread",
    apply: "build",
    configResolved(config) {
      ssr = !!config.build.ssr;
    },
    buildStart() {
      if (ssr) this.emitFile({ type: "chunk", id: "app/templates/render-thread.ts", fileName: "render-thread.js" });
    },
  };
}

export default defineConfig({
  server: {
    port: Number(process.env.FRONTEND_PORT || process.env.PORT || 3000),
    allowedHosts: [appUrl.hostname],
    hmr: appUrl.hostname === "localhost" ? { protocol: "ws", host: "localhost" } : { protocol: "wss", host: appUrl.hostname, clientPort: 443 },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.ts"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
    renderThread(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
