const m = await import("/work/wt/perf13/packages/core/bench/planner.ts")
await m.benchPlanner()
