// `npm start` and `npm run worker` run in production unless NODE_ENV says otherwise. Imported first, so
// that it holds before any module reads NODE_ENV (React, the Shopify library, env.server.ts).
process.env.NODE_ENV ||= "production";
