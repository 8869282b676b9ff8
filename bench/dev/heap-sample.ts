/**
 * Where the main thread allocates: a preload that runs V8's sampling heap profiler from start to exit, counting every
 * sampled allocation (also those a scavenge or a mark-compact collects), and prints the total and the heaviest call
 * sites to stderr at exit.
 *   N=2000000 node --import ./dist/bench/dev/heap-sample.js dist/bench/dev/speed.js
 * HEAP_SAMPLE_DEPTH: frames per site (default 3); HEAP_SAMPLE_SURVIVORS=1: only objects that survive a scavenge (what
 * gets promoted, then collected by mark-compacts).
 */
import { Session, type HeapProfiler } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const depth = Number(process.env.HEAP_SAMPLE_DEPTH ?? 3);
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.HEAP_SAMPLE_SURVIVORS !== '1',
  });
  // A session on the thread itself answers synchronously, so this works in 'exit', after the event loop has ended.
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (err) throw err;
      const bySite = new Map<string, number>();
      const walk = (node: HeapProfiler.SamplingHeapProfileNode, stack: string[]) => {
        const f = node.callFrame;
        const here = [...stack, `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`];
        if (node.selfSize > 0) {
          const site = here.slice(-depth).reverse().join(' < ');
          bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
        }
        for (const child of node.children) walk(child, here);
      };
      walk(result.profile.head, []);
      const total = [...bySite.values()].reduce((a, b) => a + b, 0);
      const rows = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30);
      process.stderr.write(`allocated ${(total / 1e6).toFixed(1)} MB (sampled)\n${rows.map(([site, bytes]) => `${(bytes / 1e6).toFixed(2).padStart(8)} MB  ${site}`).join('\n')}\n`);
    });
  });
}
