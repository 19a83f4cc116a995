/**
 * Preloaded into a benchmarked CLI process (`node --import rss-at-exit.js main.js …`): when the
 * process exits, writes its peak resident set size (process.resourceUsage().maxRSS, in KiB) and its
 * CPU time to the file named by ENUMBENCH_RSS_FILE, so the figure is the whole process's, measured
 * by the kernel, to its last allocation.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.ENUMBENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}
