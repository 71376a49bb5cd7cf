// A few statements differ by dialect (advisory locks, FOR UPDATE SKIP LOCKED). Prisma exposes the
// provider of a client, and of a transaction client, only as this internal field: one place reads it.
export function isPostgres(client: unknown): boolean {
  return (client as { _activeProvider?: string })._activeProvider === "postgresql";
}
