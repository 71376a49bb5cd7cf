// The library answers a missing or invalid extension session token by throwing a bare 401. Without a
// CORS header the extension could not even read that status, so every thrown answer gets one.
export function extensionError(error: unknown): never {
  if (error instanceof Response && !error.headers.has("Access-Control-Allow-Origin")) {
    error.headers.set("Access-Control-Allow-Origin", "*");
  }
  throw error;
}
