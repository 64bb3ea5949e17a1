// The page's main-thread tasks from a DevTools trace, for the benchmarks' longest-task figures.

/**
 * Traces the page's tasks; `stop()` resolves to those of its main thread, longest first. The
 * page's main thread is the renderer main thread (`CrRendererMain`) that ran the most CPU while
 * tracing (other renderers, such as a spare one, sit idle). A trace without any such task
 * measured nothing, and throws rather than pass as "no long tasks".
 */
export async function traceTasks(cdp) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  cdp.on("Tracing.dataCollected", collect);
  await cdp.send("Tracing.start", { categories: "toplevel", transferMode: "ReportEvents" });
  return {
    stop: async () => {
      const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
      await cdp.send("Tracing.end");
      await complete;
      cdp.off("Tracing.dataCollected", collect);
      const thread = (e) => `${e.pid}:${e.tid}`;
      const mains = new Set(
        events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args.name === "CrRendererMain").map(thread),
      );
      const byThread = new Map();
      for (const e of events) {
        if (e.ph !== "X" || e.name !== "ThreadControllerImpl::RunTask" || !mains.has(thread(e))) continue;
        const tasks = byThread.get(thread(e)) ?? [];
        tasks.push({ wallMs: e.dur / 1000, cpuMs: (e.tdur ?? 0) / 1000 });
        byThread.set(thread(e), tasks);
      }
      const cpu = (tasks) => tasks.reduce((sum, task) => sum + task.cpuMs, 0);
      const [page] = [...byThread.values()].sort((a, b) => cpu(b) - cpu(a));
      if (!page) {
        throw new Error(`the trace holds no renderer main-thread task (${events.length} events, ${mains.size} renderer main threads)`);
      }
      return page.sort((a, b) => b.wallMs - a.wallMs);
    },
  };
}
