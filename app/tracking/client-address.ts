// Which address a storefront lookup comes from, for its per-address attempt limit. X-Forwarded-For is
// written by whoever sends the request, so it is read only as far as proxies we trust wrote it: from
// the right (the hop nearest to us) past each trusted proxy, as Express's "trust proxy" does.
import { BlockList, isIP } from "node:net";

/** TRUSTED_PROXIES: addresses and CIDR ranges, comma-separated ("10.0.0.0/8, 127.0.0.1, fd00::/8"). */
export function parseTrustedProxies(list: string | undefined): BlockList {
  const trusted = new BlockList();
  for (const entry of (list ?? "").split(",").map((part) => part.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`not an IP address or CIDR range: ${entry}`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) trusted.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32)) throw new Error(`not a CIDR range: ${entry}`);
      trusted.addSubnet(address, bits, type);
    }
  }
  return trusted;
}

/** "::ffff:10.0.0.1" → "10.0.0.1", "[::1]:443" → "::1", "1.2.3.4:80" → "1.2.3.4"; anything else as written. */
function plainAddress(written: string): string {
  let address = written.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(address)) address = address.split(":")[0];
  const mapped = /^::ffff:([\d.]+)$/i.exec(address);
  return mapped && isIP(mapped[1]) === 4 ? mapped[1] : address;
}

const isTrusted = (trusted: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? "ipv6" : "ipv4");
};

/**
 * The client: the nearest address in [X-Forwarded-For…, peer] that is not a trusted proxy. `throughShopify`
 * (a request whose app proxy signature verified) trusts one hop more: the address Shopify's proxy saw,
 * which it reports in X-Forwarded-For, rather than Shopify's own.
 */
export function clientAddress(input: { peer: string | undefined; forwardedFor: string | null; trusted: BlockList; throughShopify: boolean }): string {
  const chain = [...(input.forwardedFor ?? "").split(","), input.peer ?? ""].map(plainAddress).filter(Boolean);
  if (chain.length === 0) return "unknown";
  let hop = chain.length - 1;
  while (hop > 0 && isTrusted(input.trusted, chain[hop])) hop--;
  if (input.throughShopify && hop > 0) hop--;
  return chain[hop];
}
