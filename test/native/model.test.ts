/**
 * The acoustic-model runtime through src/native/engine.ts. Needs the built addon (npx cmake-js compile) and
 * /usr/bin/python3 with python3-onnx, which writes the tiny fixture models (scripts/native/make-model-fixture.py).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadModel, type ModelHandle, modelInfo, type NativeErrorCode, runModel } from '../../src/native/engine.ts';
import { assertEventLoopFree } from './event-loop.ts';

const DIMS = 80;
const PHONES = 5;

const fixtures = mkdtempSync(join(tmpdir(), 'speakai-model-'));
t.teardown(() => rmSync(fixtures, { recursive: true, force: true }));
execFileSync(
  '/usr/bin/python3',
  [fileURLToPath(new URL('../../scripts/native/make-model-fixture.py', import.meta.url)), fixtures],
  { stdio: 'inherit' },
);
const manifest = (variant: string) => join(fixtures, variant, 'manifest.json');

/** A copy of the good fixture in a folder of its own, for tests that change it. */
function copyOfGood(name: string): string {
  mkdirSync(join(fixtures, name));
  for (const file of ['manifest.json', 'tiny.onnx'])
    copyFileSync(join(fixtures, 'good', file), join(fixtures, name, file));
  return manifest(name);
}

/** Deterministic, feature-like input: log-mel values in roughly [-16, 16]. */
function features(frames: number): Float32Array {
  return Float32Array.from({ length: frames * DIMS }, (_, i) => 16 * Math.sin(0.37 * i));
}

async function rejectsWith(
  test: Pick<typeof t, 'rejects'>,
  promise: Promise<unknown>,
  code: NativeErrorCode,
  what: string,
) {
  await test.rejects(promise, { name: 'NativeEngineError', code }, `${what}: ${code}`);
}

let model: ModelHandle;
t.before(async () => {
  model = await loadModel(manifest('good'));
});

t.test('loads the model and describes it', async (t) => {
  const info = modelInfo(model);
  t.same(info.inventory, ['SIL', 'AA', 'B', 'K', 'S']);
  t.equal(info.device, 'cpu');
  t.equal(info.intraOpThreads, 1);
  t.match(info.sha256, /^[0-9a-f]{64}$/);
  t.equal(info.parameters, 80 * 1024 + 1024 * PHONES);
  t.match(info.settings, { num_mel_bins: 80, sample_frequency: 16000, frame_shift_ms: 10, window_type: 'povey' });
  t.equal(modelInfo(await loadModel(manifest('good'), { intraOpThreads: 2 })).intraOpThreads, 2);
});

t.test('runs the model: one row of log posteriors per frame', async (t) => {
  const out = await runModel(model, features(50), 50);
  t.equal(out.frames, 50);
  t.equal(out.phones, PHONES);
  t.ok(out.data instanceof Float32Array && out.data.length === 50 * PHONES);
  for (let frame = 0; frame < out.frames; frame++) {
    const row = out.data.subarray(frame * PHONES, (frame + 1) * PHONES);
    const total = row.reduce((sum, logp) => sum + Math.exp(logp), 0);
    if (Math.abs(total - 1) > 1e-4) t.fail(`frame ${frame}: posteriors sum to ${total}`);
  }
  const input = features(3);
  const pending = runModel(model, input, 3);
  input.fill(0); // inputs are copied: the caller may reuse its buffer at once
  t.same((await pending).data, (await runModel(model, features(3), 3)).data);
});

t.test('every load failure has its code', async (t) => {
  await rejectsWith(t, loadModel(join(fixtures, 'nowhere', 'manifest.json')), 'MODEL_NOT_FOUND', 'no manifest');
  const noModel = copyOfGood('no_model');
  rmSync(join(fixtures, 'no_model', 'tiny.onnx'));
  await rejectsWith(t, loadModel(noModel), 'MODEL_NOT_FOUND', 'no model file');

  const tampered = copyOfGood('tampered');
  const bytes = readFileSync(join(fixtures, 'tampered', 'tiny.onnx'));
  bytes[bytes.length - 10] ^= 1;
  writeFileSync(join(fixtures, 'tampered', 'tiny.onnx'), bytes);
  await rejectsWith(t, loadModel(tampered), 'MODEL_CHECKSUM_MISMATCH', 'one bit changed');

  const badJson = copyOfGood('bad_json');
  writeFileSync(badJson, '{"model": "tiny.onnx",');
  await rejectsWith(t, loadModel(badJson), 'MODEL_INVALID', 'truncated manifest');
  const otherFeatures = copyOfGood('other_features');
  writeFileSync(otherFeatures, readFileSync(otherFeatures, 'utf8').replace('"num_mel_bins": 80', '"num_mel_bins": 40'));
  await rejectsWith(t, loadModel(otherFeatures), 'MODEL_INVALID', 'features the engine does not compute');
  await rejectsWith(t, loadModel(manifest('fixed_time')), 'MODEL_INVALID', 'fixed time axis');
  await rejectsWith(t, loadModel(manifest('wrong_dims')), 'MODEL_INVALID', '40 input features');
  await rejectsWith(t, loadModel(manifest('wrong_output')), 'MODEL_INVALID', 'no log_posteriors output');

  await rejectsWith(t, loadModel(manifest('good'), { intraOpThreads: 0 }), 'INVALID_ARGUMENT', 'zero threads');
  await rejectsWith(t, loadModel(manifest('good'), { intraOpThreads: 1.5 }), 'INVALID_ARGUMENT', 'fractional threads');
  await rejectsWith(t, loadModel(manifest('good'), { device: 'tpu' as 'cpu' }), 'INVALID_ARGUMENT', 'unknown device');
  await rejectsWith(t, loadModel(42 as unknown as string), 'INVALID_ARGUMENT', 'a number as path');
});

t.test('cuda falls back to the cpu where it cannot run', async (t) => {
  // This addon is built without SPEAKAI_CUDA (or the machine has no usable GPU): one line on stderr, then the CPU.
  const onCuda = await loadModel(manifest('good'), { device: 'cuda' });
  t.equal(modelInfo(onCuda).device, 'cpu');
  t.equal((await runModel(onCuda, features(4), 4)).frames, 4);
});

t.test('every run failure has its code', async (t) => {
  await rejectsWith(t, runModel(model, features(3), 4), 'INVALID_ARGUMENT', 'fewer values than frames x 80');
  await rejectsWith(t, runModel(model, new Float32Array(81), 1), 'INVALID_ARGUMENT', 'not a multiple of 80');
  await rejectsWith(t, runModel(model, new Float32Array(0), 0), 'INVALID_ARGUMENT', 'no frames');
  await rejectsWith(t, runModel(model, features(2), 1.5), 'INVALID_ARGUMENT', 'fractional frames');
  await rejectsWith(t, runModel(model, [0] as unknown as Float32Array, 1), 'INVALID_ARGUMENT', 'a plain array');
  await rejectsWith(t, runModel({} as ModelHandle, features(1), 1), 'INVALID_ARGUMENT', 'not a handle');
  t.throws(() => modelInfo({} as ModelHandle), { code: 'INVALID_ARGUMENT' }, 'modelInfo of a non-handle');
});

t.test('8 concurrent runs on one model give identical results', async (t) => {
  const input = features(400);
  const results = await Promise.all(Array.from({ length: 8 }, () => runModel(model, input, 400)));
  for (const result of results) t.same(result.data, results[0]?.data);
});

t.test('runs do not block the event loop', async (t) => {
  // 30 s of features per run (3000 frames): the work is the model's, not the copies.
  const input = features(3000);
  const eight = () => Promise.all(Array.from({ length: 8 }, () => runModel(model, input, 3000)));
  await assertEventLoopFree(t, eight, '8 model runs');
});
