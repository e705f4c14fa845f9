/**
 * HTTP benchmark of POST /speech/analyze: a 3 s WebM/Opus recording of espeak-ng speech uploaded as multipart, on
 * the embedded defaults (rate limits and the analysis cache off, so every request is analysed), at concurrency 1, 2
 * and 4; beside it, the engine's own analyze() of the same clip, to show what HTTP adds.
 *   npm run bench:speech [-- --duration 10]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pronounceText } from '../plugins/speech/pronunciation.ts';
import { analyze, loadModel, modelInfo } from '../src/native/engine.ts';
import { multipart } from '../test/helpers/multipart.ts';
import { startBenchServer } from './bench-server.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' } } });
const TARGET = 'she sells sea shells, she sells sea shells';

const dir = await mkdtemp(join(tmpdir(), 'speakai-bench-speech-'));
execFileSync('espeak-ng', ['-v', 'en-us', '-s', '160', '-w', join(dir, 'clip.wav'), TARGET]);
execFileSync('ffmpeg', [
  '-loglevel',
  'error',
  '-i',
  join(dir, 'clip.wav'),
  '-c:a',
  'libopus',
  '-b:a',
  '32k',
  join(dir, 'clip.webm'),
]);
const audio = await readFile(join(dir, 'clip.webm'));

const model = await loadModel(new URL('../models/manifest.json', import.meta.url).pathname);
const words = await pronounceText(TARGET, modelInfo(model).inventory);
const engine: number[] = [];
for (let i = 0; i < 30; i++) {
  const started = performance.now();
  const result = await analyze(model, audio, words);
  engine.push(performance.now() - started);
  if (result.alignment.status !== 'aligned') throw new Error('the benchmark clip does not align');
}
engine.sort((a, b) => a - b);
const engineP50 = engine[14] ?? Number.NaN;

const { port, token, stop } = await startBenchServer({ CACHE_TTL_ANALYSIS_SECONDS: '0' });
const form = multipart(
  { targetWord: TARGET, language: 'en' },
  { field: 'audioFile', filename: 'take.webm', contentType: 'audio/webm', data: audio },
);

const rows = [];
for (const connections of [1, 2, 4]) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/speech/analyze`,
    method: 'POST',
    headers: { ...form.headers, authorization: `Bearer ${token}` },
    body: form.payload,
    connections,
    duration: Number(values.duration),
  });
  rows.push({
    concurrency: connections,
    'analyses/s': Math.round(result.requests.average * 10) / 10,
    'p50 ms': result.latency.p50,
    'p90 ms': result.latency.p90,
    'p99 ms': result.latency.p99,
    errors: result.errors + result.non2xx,
    'HTTP over engine (p50)': connections === 1 ? `${Math.round((result.latency.p50 / engineP50 - 1) * 100)}%` : '',
  });
}
await stop();
await rm(dir, { recursive: true, force: true });

console.log(
  `\nnode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}; ${(audio.length / 1024).toFixed(1)} KB WebM/Opus clip; engine analyze() alone: p50 ${engineP50.toFixed(1)} ms`,
);
console.table(rows);
