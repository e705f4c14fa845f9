/**
 * Native engine benchmark: the speech pipeline as it exists today (decode + log-mel features) on 1 s, 3 s and 10 s
 * WebM/Opus clips of espeak-ng speech, generated at startup with the espeak-ng and ffmpeg CLIs. Stages that are not
 * built yet (acoustic model, alignment, scoring) are listed as such, without numbers.
 *   npm run bench:native [-- --iterations 30 --clips-per-run 48]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeFeatures, decodeAudio } from '../src/native/engine.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '30' },
    'clips-per-run': { type: 'string', default: '48' },
  },
});
const ITERATIONS = Number(values.iterations);
const CLIPS_PER_RUN = Number(values['clips-per-run']);
const CLIP_SECONDS = [1, 3, 10];
const CONCURRENCY = [1, 2, 4];
const NOT_BUILT = ['model', 'alignment', 'scoring'];
// ~14 s at 160 words per minute: long enough to cut the 10 s clip from real speech.
const TEXT =
  'Learning a new language takes patience. Every morning, Maria reads a short story aloud, ' +
  'records her voice, and listens for the sounds she still finds difficult. ' +
  'Slowly, the vowels become clearer and the rhythm of each sentence feels natural.';

function makeClips(dir: string): Map<number, Uint8Array> {
  const speech = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', speech, TEXT]);
  const clips = new Map<number, Uint8Array>();
  for (const seconds of CLIP_SECONDS) {
    const out = join(dir, `speech-${seconds}s.webm`);
    const args = ['-i', speech, '-t', String(seconds), '-c:a', 'libopus', '-b:a', '32k', out];
    execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
    clips.set(seconds, readFileSync(out));
  }
  return clips;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { 'p50 ms': round(percentile(sorted, 50)), 'p95 ms': round(percentile(sorted, 95)) };
}

const round = (value: number) => Math.round(value * 100) / 100;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function pipeline(clip: Uint8Array) {
  const started = performance.now();
  const audio = await decodeAudio(clip);
  const decoded = performance.now();
  const features = await computeFeatures(audio.samples);
  const done = performance.now();
  return { decodeMs: decoded - started, featuresMs: done - decoded, totalMs: done - started, audio, features };
}

async function stageRows(clip: Uint8Array) {
  const decode: number[] = [];
  const features: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const run = await pipeline(clip);
    decode.push(run.decodeMs);
    features.push(run.featuresMs);
  }
  return {
    decode: summary(decode),
    features: summary(features),
    ...Object.fromEntries(NOT_BUILT.map((stage) => [stage, { 'p50 ms': 'not built', 'p95 ms': 'not built' }])),
  };
}

/** `concurrency` callers, each running clips back to back until CLIPS_PER_RUN have gone through. */
async function concurrencyRow(clip: Uint8Array, concurrency: number) {
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

const dir = mkdtempSync(join(tmpdir(), 'speakai-bench-native-'));
try {
  const clips = makeClips(dir);
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, libuv pool ${process.env.UV_THREADPOOL_SIZE ?? 4}; ` +
      `stages: ${ITERATIONS} sequential runs; pipeline = decode + features, ${CLIPS_PER_RUN} clips per concurrency level`,
  );
  for (const [seconds, clip] of clips) {
    const warm = await pipeline(clip); // first call loads the addon and libav's codecs
    console.log(
      `\n${seconds} s clip: WebM/Opus, ${clip.byteLength} bytes, ${Math.round(warm.audio.durationMs)} ms decoded, ` +
        `${warm.features.frames} feature frames`,
    );
    console.table(await stageRows(clip));
    const rows: Record<string, object> = {};
    for (const concurrency of CONCURRENCY) rows[`concurrency ${concurrency}`] = await concurrencyRow(clip, concurrency);
    console.table(rows);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
