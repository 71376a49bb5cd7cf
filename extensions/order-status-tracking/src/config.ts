// The app's public URL (shopify.app.toml application_url). Customer account and checkout extensions
// cannot call relative URLs, so this must match the deployed app; change both together.
export const APP_URL = "https://example.com";
