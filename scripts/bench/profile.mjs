// Where a server's CPU went: the .cpuprofile node writes on exit under --cpu-prof, read here
// into self time per function (name, file and line), so the ADR can show what a submission costs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** node's flags that write a CPU profile of the whole process into `directory` when it exits. */
export function cpuProfileArgs(directory) {
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`];
}

/**
 * The newest profile in `directory`: the `top` functions by self time (every sample is charged
 * to the function on top of the stack for the time until the next one), the total sampled time,
 * and the time spent idle, which the per-submission CPU leaves out.
 */
export function topSelfTime(directory, top = 15) {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(directory, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${directory}`);
  const profile = JSON.parse(readFileSync(files[0], 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, index) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const file = url ? url.replace(/^file:\/\//, '').split('/node_modules/').at(-1) : '';
    // lineNumber is 0-based in the profile; editors count from 1.
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const idleUs = selfUs.get('(idle)') ?? 0;
  const functions = [...selfUs]
    .filter(([key]) => key !== '(idle)')
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([name, us]) => ({ name, selfMs: Number((us / 1000).toFixed(1)), share: Number((us / (totalUs - idleUs)).toFixed(4)) }));
  return { file: files[0], totalMs: Math.round(totalUs / 1000), busyMs: Math.round((totalUs - idleUs) / 1000), functions };
}
