/**
 * The measured side of the analyze benchmark, run in its own process so that
 * its peak RSS (VmHWM) is the investigation's alone, not the generator's.
 * `api`: `investigate()` on the files; `cli`: `logsleuth analyze --json` (the
 * CLI's main, report discarded). Prints one JSON line: seconds, peak RSS,
 * lines read and what was found.
 */
import { readFileSync } from 'node:fs';
// The build users run (tsc's output), not the sources through tsx, whose transform wraps every closure.
import { main } from '../dist/cli/main';
import { investigate } from '../dist/investigate';

const REFERENCE_DATE = Date.UTC(2025, 11, 31);

function peakRssMiB(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return parseInt(status.slice(status.indexOf('VmHWM:') + 6).trimStart(), 10) / 1024;
}

async function measure(): Promise<Record<string, number>> {
  const [mode, ...files] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  if (mode === 'cli') {
    let reportBytes = 0;
    const code = await main(
      ['node', 'logsleuth', 'analyze', ...files, '--json', '--timezone', 'UTC', '--reference-date', '2025-12-31'],
      {
        out: (text) => void (reportBytes += text.length),
        err: () => undefined,
        isTTY: false,
        errIsTTY: false,
        stdin: process.stdin,
      },
    );
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB: peakRssMiB(), code, reportBytes };
  }
  const { result, investigation } = await investigate({
    inputs: files,
    timezone: 'UTC',
    referenceDate: REFERENCE_DATE,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = peakRssMiB();
  // What the investigation still holds once garbage is collected (the peak also counts garbage V8 had not collected yet).
  globalThis.gc?.();
  const retainedHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  return {
    seconds,
    peakRssMiB: peak,
    retainedHeapMiB,
    tracers: investigation.tracers.length,
    lines: result.inputs.reduce((sum, input) => sum + (input.lines ?? 0), 0),
    cases: result.cases.length,
    sweeps: result.sweeps.length,
    errors: result.errors.length,
    chains: result.chains.length,
  };
}

measure().then(
  (figures) => console.log(JSON.stringify(figures)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
