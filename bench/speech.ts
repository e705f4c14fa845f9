/**
 * HTTP benchmark of POST /speech/analyze: a 3 s WebM/Opus recording of espeak-ng speech uploaded as multipart, on
 * the embedded defaults (rate limits and the analysis cache off, so every request is analysed), at concurrency 1, 2
 * and 4. What HTTP adds is measured in turns: one engine analyze() of the same clip, then one request, and so on, so
 * that both medians see the same machine (measured one after the other, background load swung the ratio 17-36%).
 * The server runs in a process of its own, as in production, so the client's work is not counted as the server's.
 *   npm run bench:speech [-- --duration 10 --rounds 100]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pronounceText } from '../plugins/speech/pronunciation.ts';
import { analyze, loadModel, modelInfo } from '../src/native/engine.ts';
import { multipart } from '../test/helpers/multipart.ts';
import { startBenchServerProcess } from './bench-server.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, rounds: { type: 'string', default: '100' } },
});
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
const { port, token, stop } = await startBenchServerProcess({ CACHE_TTL_ANALYSIS_SECONDS: '0' });
const form = multipart(
  { targetWord: TARGET, language: 'en' },
  { field: 'audioFile', filename: 'take.webm', contentType: 'audio/webm', data: audio },
);

const url = `http://127.0.0.1:${port}/speech/analyze`;
const headers = { ...form.headers, authorization: `Bearer ${token}` };

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

// node:http with a kept-alive connection, like autocannon: fetch costs the shared event loop a few ms more per request.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`POST /speech/analyze: ${response.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Engine alone, then the same clip through HTTP, in turns; the first tenth warms both up and is not counted. */
async function inTurns(rounds: number) {
  const engine: number[] = [];
  const http: number[] = [];
  for (let round = 0; round < rounds + Math.ceil(rounds / 10); round++) {
    const engineMs = await timed(async () => {
      const result = await analyze(model, audio, words);
      if (result.alignment.status !== 'aligned') throw new Error('the benchmark clip does not align');
    });
    const httpMs = await timed(() => post(form.payload));
    if (round < Math.ceil(rounds / 10)) continue;
    engine.push(engineMs);
    http.push(httpMs);
  }
  return { engine: percentile(engine, 50), http: percentile(http, 50) };
}

const turns = await inTurns(Number(values.rounds));
agent.destroy();
const rows = [];
for (const connections of [1, 2, 4]) {
  // autocannon's histogram has no 95th percentile: every response time is kept instead.
  const latencies: number[] = [];
  const options = {
    url,
    method: 'POST' as const,
    headers,
    body: form.payload,
    connections,
    duration: Number(values.duration),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    run.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10;
  rows.push({
    concurrency: connections,
    'analyses/s': Math.round(result.requests.average * 10) / 10,
    'p50 ms': ms(50),
    'p95 ms': ms(95),
    'p99 ms': ms(99),
    errors: result.errors + result.non2xx,
  });
}
await stop();
await rm(dir, { recursive: true, force: true });

console.log(
  `\nnode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}; ${(audio.length / 1024).toFixed(1)} KB WebM/Opus clip`,
);
console.log(
  `in turns, ${values.rounds} rounds at concurrency 1: engine analyze() p50 ${turns.engine.toFixed(1)} ms, ` +
    `HTTP p50 ${turns.http.toFixed(1)} ms, HTTP adds ${((turns.http / turns.engine - 1) * 100).toFixed(1)}%`,
);
console.table(rows);
