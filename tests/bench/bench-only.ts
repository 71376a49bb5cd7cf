// `npm run bench` chains run-bench.ts, notifications-bench.ts and lanes-bench.ts. BENCH_ONLY picks one of
// run-bench.ts's figures and leaves BENCHMARKS.md alone, so the other two benches, which each rewrite
// their own section of it, do not run then.

/** True (and says so) when BENCH_ONLY asks for one of run-bench.ts's figures alone. */
export function skippedForBenchOnly(bench: string): boolean {
  const only = process.env.BENCH_ONLY;
  if (!only) return false;
  console.log(`${bench}: not run (BENCH_ONLY=${only} runs that figure of tests/bench/run-bench.ts alone; BENCHMARKS.md untouched)`);
  return true;
}
