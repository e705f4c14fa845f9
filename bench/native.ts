/**
 * Native engine benchmark: the whole analysis (analyze(): decode, log-mel features, the real acoustic model of
 * models/manifest.json, forced alignment + phone loop, GOP + phone edits) on ~1 s, ~3 s and ~10 s WebM/Opus clips of
 * espeak-ng speech, generated at startup with the espeak-ng and ffmpeg CLIs. Each clip repeats "she sells sea shells"
 * (whole sentences, so the expected text is exactly what is said); stage times are the ones analyze() reports.
 *   npm run bench:native [-- --iterations 30 --clips-per-run 48]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type AnalysisResult, analyze, type ExpectedWord, loadModel, modelInfo } from '../src/native/engine.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '30' },
    'clips-per-run': { type: 'string', default: '48' },
  },
});
const ITERATIONS = Number(values.iterations);
const CLIPS_PER_RUN = Number(values['clips-per-run']);
const CONCURRENCY = [1, 2, 4];
const MANIFEST = fileURLToPath(new URL('../models/manifest.json', import.meta.url));
// One sentence is ~1.25 s at 160 words per minute: 1, 2 and 8 of them make the ~1, ~3 and ~10 s clips.
const SENTENCE: Array<[string, string]> = [
  ['she', 'SH IY'],
  ['sells', 'S EH L Z'],
  ['sea', 'S IY'],
  ['shells', 'SH EH L Z'],
];
const CLIPS = [
  { label: '1 s', sentences: 1 },
  { label: '3 s', sentences: 2 },
  { label: '10 s', sentences: 8 },
];

interface Clip {
  label: string;
  audio: Uint8Array;
  words: ExpectedWord[];
}

function makeClips(dir: string, inventory: string[]): Clip[] {
  return CLIPS.map(({ label, sentences }, i) => {
    const speech = join(dir, `speech-${i}.wav`);
    const out = join(dir, `speech-${i}.webm`);
    const text = Array.from({ length: sentences }, () => SENTENCE.map(([word]) => word).join(' ')).join(', ');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', speech, text]);
    const args = ['-i', speech, '-c:a', 'libopus', '-b:a', '32k', out];
    execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
    const words = Array.from({ length: sentences }, () => SENTENCE)
      .flat()
      .map(([text, cmu]) => ({ text, pronunciations: [cmu.split(' ').map((phone) => inventory.indexOf(phone))] }));
    return { label, audio: readFileSync(out), words };
  });
}

function summary(times: number[]) {
  return { 'p50 ms': round(percentile(times, 50)), 'p95 ms': round(percentile(times, 95)) };
}

const round = (value: number) => Math.round(value * 100) / 100;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function pipeline(clip: Clip): Promise<{ totalMs: number; result: AnalysisResult }> {
  const started = performance.now();
  const result = await analyze(model, clip.audio, clip.words);
  return { totalMs: performance.now() - started, result };
}

const STAGES = {
  decode: 'decodeMs',
  features: 'featuresMs',
  model: 'modelMs',
  alignment: 'alignMs',
  scoring: 'scoringMs',
} as const;

async function stageRows(clip: Clip) {
  const times: Record<string, number[]> = { ...Object.fromEntries(Object.keys(STAGES).map((s) => [s, []])), total: [] };
  for (let i = 0; i < ITERATIONS; i++) {
    const run = await pipeline(clip);
    for (const [stage, key] of Object.entries(STAGES)) times[stage]?.push(run.result.timings[key]);
    times.total?.push(run.totalMs);
  }
  return Object.fromEntries(Object.entries(times).map(([stage, values]) => [stage, summary(values)]));
}

/** `concurrency` callers, each running clips back to back until CLIPS_PER_RUN have gone through. */
async function concurrencyRow(clip: Clip, concurrency: number) {
  const latencies: number[] = [];
  let started = 0;
  const caller = async () => {
    while (started < CLIPS_PER_RUN) {
      started += 1;
      latencies.push((await pipeline(clip)).totalMs);
    }
  };
  const wallStart = performance.now();
  await Promise.all(Array.from({ length: concurrency }, caller));
  const wallSec = (performance.now() - wallStart) / 1000;
  return {
    ...summary(latencies),
    'clips/s': round(latencies.length / wallSec),
    'peak RSS MB': peakRssMb(),
  };
}

if (!existsSync(MANIFEST)) {
  console.error(`${MANIFEST} is absent: the benchmark needs the real acoustic model`);
  process.exit(1);
}
const model = await loadModel(MANIFEST);
const dir = mkdtempSync(join(tmpdir(), 'speakai-bench-native-'));
try {
  const clips = makeClips(dir, modelInfo(model).inventory);
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, libuv pool ${process.env.UV_THREADPOOL_SIZE ?? 4}; ` +
      `stages: ${ITERATIONS} sequential runs; pipeline = one analyze() call, ${CLIPS_PER_RUN} clips per concurrency level`,
  );
  for (const clip of clips) {
    const warm = await pipeline(clip); // first call loads libav's codecs and warms the model session
    console.log(
      `\n${clip.label} clip: WebM/Opus, ${clip.audio.byteLength} bytes, ${Math.round(warm.result.durationMs)} ms decoded, ` +
        `${warm.result.frames} frames, ${warm.result.phones.length} phones, alignment ${warm.result.alignment.status}`,
    );
    console.table(await stageRows(clip));
    const rows: Record<string, object> = {};
    for (const concurrency of CONCURRENCY) rows[`concurrency ${concurrency}`] = await concurrencyRow(clip, concurrency);
    console.table(rows);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
