/**
 * Reference-audio benchmark: synthesize() of a word and of a sentence as 16 kHz PCM and as each encoded format, with
 * and without emphasis: espeak-ng on its thread, then emphasis and encoding on the libuv pool. Sequential runs, so the
 * figures are the latency of one cold (uncached) POST /speech/generate-audio's engine work.
 *   node bench/synthesis.ts [--iterations 30]
 */
import { parseArgs } from 'node:util';
import { type SynthesisFormat, synthesize } from '../src/native/engine.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '30' } } });
const ITERATIONS = Number(values.iterations);
const TEXTS = ['think', 'I think that is the thing you wanted to show me.'];
const FORMATS: SynthesisFormat[] = ['pcm', 'wav', 'opus', 'mp3'];

async function time(text: string, format: SynthesisFormat, emphasize: string[]) {
  const times: number[] = [];
  let durationMs = 0;
  for (let i = 0; i < ITERATIONS + 2; i += 1) {
    const started = performance.now();
    const speech = await synthesize(text, { format: format as 'pcm', emphasize });
    if (i >= 2) times.push(performance.now() - started); // the first runs warm espeak-ng and the codecs
    durationMs = speech.durationMs;
  }
  return { durationMs, p50: percentile(times, 50), p95: percentile(times, 95) };
}

console.log('| text (audio length) | format | emphasis | p50 ms | p95 ms |');
console.log('| --- | --- | --- | ---: | ---: |');
for (const text of TEXTS) {
  for (const format of FORMATS) {
    for (const emphasize of [[], ['θ']]) {
      const { durationMs, p50, p95 } = await time(text, format, emphasize);
      const label = `${text.length > 12 ? 'sentence' : `"${text}"`} (${(durationMs / 1000).toFixed(2)} s)`;
      console.log(`| ${label} | ${format} | ${emphasize.join(' ') || '-'} | ${p50.toFixed(2)} | ${p95.toFixed(2)} |`);
    }
  }
}
