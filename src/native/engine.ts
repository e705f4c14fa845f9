/**
 * The TypeScript face of the native speech engine (native/, built into build/Release/speakai_native.node).
 *
 * Every heavy call runs on the libuv thread pool and returns a Promise; inputs are copied before the call returns, so
 * callers may reuse their buffers at once. Failures reject with a NativeEngineError whose `code` is one of
 * NATIVE_ERROR_CODES. Audio is mono float32 at 16 kHz, except the files synthesize() encodes.
 */
import { createRequire } from 'node:module';

export const NATIVE_ERROR_CODES = [
  'AUDIO_UNSUPPORTED_FORMAT',
  'AUDIO_CORRUPT',
  'AUDIO_TOO_LONG',
  'AUDIO_TOO_LARGE',
  'AUDIO_EMPTY',
  'AUDIO_NO_SPEECH',
  'LANGUAGE_UNSUPPORTED',
  'TEXT_EMPTY',
  'TEXT_TOO_LONG',
  'INVALID_ARGUMENT',
  'ESPEAK_UNAVAILABLE',
  'SYNTHESIS_FAILED',
  'VOICE_UNSUPPORTED',
  'PHONEME_NOT_IN_TEXT',
  'ENCODE_FAILED',
  'MODEL_NOT_FOUND',
  'MODEL_CHECKSUM_MISMATCH',
  'MODEL_INVALID',
  'MODEL_RUN_FAILED',
  'INTERNAL',
  'ADDON_NOT_BUILT',
] as const;

export type NativeErrorCode = (typeof NATIVE_ERROR_CODES)[number];

export class NativeEngineError extends Error {
  readonly code: NativeErrorCode;

  constructor(code: NativeErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NativeEngineError';
    this.code = code;
  }
}

export const SAMPLE_RATE = 16000;

export interface DecodeOptions {
  /** Refuse larger uploads (AUDIO_TOO_LARGE). Default 10 MB. */
  maxBytes?: number;
  /** Refuse longer audio (AUDIO_TOO_LONG). Default 30 s. */
  maxDurationSec?: number;
}

export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: typeof SAMPLE_RATE;
  durationMs: number;
}

/** Kaldi-compatible log-mel filterbank (native/FEATURES.md): row-major, `frames` x `dims` (80). */
export interface Features {
  data: Float32Array;
  frames: number;
  dims: number;
}

/** Lexical stress, CMUdict numbering: 0 none, 1 primary, 2 secondary. */
export type Stress = 0 | 1 | 2;

export interface Phone {
  ipa: string;
  stress: Stress;
}

export interface PhonemizedWord {
  /** The word as written, surrounding punctuation trimmed. */
  text: string;
  /** espeak-ng's IPA for the word, stress marks included. */
  ipa: string;
  phones: Phone[];
}

export interface Phonemization {
  words: PhonemizedWord[];
}

export type EncodedFormat = 'wav' | 'opus' | 'mp3';
export type SynthesisFormat = 'pcm' | EncodedFormat;

export interface SynthesisOptions {
  /** espeak-ng language tag, e.g. 'en-us', 'es'. Default 'en-us'. */
  language?: string;
  /** An espeak-ng voice identifier (VoiceLanguage.voiceId, e.g. 'gmw/en-US') instead of the language's preferred one. */
  voice?: string;
  /** Words per minute, 80..450. Default 175. */
  rate?: number;
  /** 0..100. Default 50. */
  pitch?: number;
  /**
   * 'pcm' (default): 16 kHz float samples. 'wav' (16-bit, 22.05 kHz), 'opus' (Ogg/Opus, 48 kHz, 32 kbit/s) or 'mp3'
   * (22.05 kHz, 48 kbit/s): a complete file.
   */
  format?: SynthesisFormat;
  /**
   * Phonemes to emphasize, as espeak-ng's IPA (textToPhonemes' `ipa`; '/θ/' and stress marks are accepted): each of
   * their phones is made 1.6 times longer (pitch kept) and about 4 dB louder, and the later timings move with it. At
   * most 16; one the text does not have rejects with PHONEME_NOT_IN_TEXT.
   */
  emphasize?: string[];
}

export interface TimedPhone {
  ipa: string;
  startMs: number;
  endMs: number;
}

export interface SynthesizedSpeech {
  samples: Float32Array;
  sampleRate: typeof SAMPLE_RATE;
  durationMs: number;
  /** In order and non-overlapping; pauses are left out. */
  phones: TimedPhone[];
}

/** synthesize() with an encoded format: a complete audio file and the timings of its phones. */
export interface EncodedSpeech {
  format: EncodedFormat;
  /** 'audio/wav', 'audio/ogg' or 'audio/mpeg'. */
  contentType: string;
  audio: Buffer;
  /** Of the encoded stream (48000 for Opus). */
  sampleRate: number;
  durationMs: number;
  /** In order and non-overlapping; pauses are left out. */
  phones: TimedPhone[];
}

export interface VoiceLanguage {
  language: string;
  voice: string;
  voiceId: string;
  /** espeak-ng's preference among voices for this language: lower is preferred. */
  priority: number;
}

export type ModelDevice = 'cpu' | 'cuda';

export interface ModelOptions {
  /** Threads inside one run, 1..64. Default 1: requests already run side by side on the libuv pool. */
  intraOpThreads?: number;
  /**
   * Default 'cpu'. 'cuda' needs an addon built with SPEAKAI_CUDA=ON and a GPU ONNX Runtime can use; otherwise the
   * model runs on the CPU and one line on stderr says why (ModelInfo.device tells which was used).
   */
  device?: ModelDevice;
}

declare const modelHandle: unique symbol;

/** An acoustic model loaded by loadModel: one ONNX Runtime session, to share across requests. Opaque. */
export interface ModelHandle {
  readonly [modelHandle]: true;
}

/** Natural-log phone posteriors: row-major, `frames` x `phones`, columns in ModelInfo.inventory order. */
export interface Posteriors {
  data: Float32Array;
  frames: number;
  phones: number;
}

export interface ModelInfo {
  /** Phone labels in output (posterior column) order. */
  inventory: string[];
  /** The manifest's feature settings (checked at load against what computeFeatures computes). */
  settings: Record<string, unknown>;
  /** Where the model actually runs. */
  device: ModelDevice;
  intraOpThreads: number;
  modelPath: string;
  sha256: string;
  /** From the manifest; null when it does not say. */
  parameters: number | null;
}

/** A word of the expected text: its alternative pronunciations as phone ids (indices into ModelInfo.inventory). */
export interface ExpectedWord {
  text: string;
  pronunciations: number[][];
}

export interface AnalyzeOptions extends DecodeOptions {
  /** Score with the model's learned scorer when it has one (default true); false: the calibrated GOP. */
  learnedScorer?: boolean;
}

export type AlignmentStatus = 'aligned' | 'too-few-frames' | 'no-path-within-beam';

/** Wall time of each stage in ms; align is the forced alignment and the phone loop, scoring is GOP and the edits. */
export interface AnalysisTimings {
  decodeMs: number;
  featuresMs: number;
  modelMs: number;
  alignMs: number;
  scoringMs: number;
}

/** Does the audio say the expected text? Mean log posterior per frame of the forced path against the best one. */
export interface TextMatch {
  forced: number;
  best: number;
  gapPerFrame: number;
  matches: boolean;
}

export interface AnalysisAlignment {
  status: AlignmentStatus;
  usedRetryBeam: boolean;
  /** null unless aligned. */
  scorePerFrame: number | null;
  /** null unless aligned. */
  match: TextMatch | null;
}

export interface AnalyzedWord {
  /** Index into the expected words. */
  index: number;
  text: string;
  /** Index of the pronunciation the aligner chose. */
  pronunciation: number;
  startMs: number;
  endMs: number;
  /** Indices into AnalysisResult.phones. */
  phones: number[];
}

/** Goodness of pronunciation of one expected phone (native/ALIGNMENT.md, "GOP"). */
export interface AnalyzedPhone {
  /** The expected phone's id. */
  phone: number;
  /** Index into the expected words. */
  word: number;
  startMs: number;
  endMs: number;
  durationFrames: number;
  /** Mean log posterior of the expected phone over its frames. */
  lpp: number;
  /** lpp minus the mean of each frame's best log posterior: <= 0, 0 when the expected phone won every frame. */
  lpr: number;
  /** The most likely other phone over the segment, and its mean log posterior. */
  saidAs: number;
  saidAsLpp: number;
  /** 0..100: the learned scorer's, or without one the calibrated GOP of lpr (AnalysisScores.source). */
  score: number;
  /** [lpp, lpr, durationFrames, mean log posterior of every phone], for a learned scorer. */
  features: Float32Array;
}

export interface TimeSpan {
  startMs: number;
  endMs: number;
}

export interface RecognizedPhone extends TimeSpan {
  phone: number;
}

export type PhoneEditKind = 'match' | 'substitution' | 'deletion' | 'insertion';

export interface PhoneEdit {
  kind: PhoneEditKind;
  /** Index into AnalysisResult.phones; absent for an insertion. */
  expected?: number;
  /** Index into AnalysisResult.recognized; absent for a deletion. */
  recognized?: number;
}

/** Temporal fluency measures from the alignment (native/src/scoring/fluency.h). */
export interface Fluency {
  /** From the first expected phone's start to the last one's end. */
  speakingMs: number;
  /** Speaking time less the pauses. */
  articulationMs: number;
  /** Articulation rate. */
  phonesPerSecond: number;
  /** Speech rate over the speaking time. */
  wordsPerMinute: number;
  /** Silences of at least 250 ms between words. */
  pauseCount: number;
  pauseMs: number;
  longestPauseMs: number;
  pauses: TimeSpan[];
}

/** Scores 0..100; null where the source cannot judge (the calibrated GOP judges neither stress, fluency nor prosody). */
export interface AnalysisScores {
  source: 'learned' | 'gop';
  utterance: {
    accuracy: number;
    completeness: number;
    fluency: number | null;
    prosodic: number | null;
    total: number | null;
  };
  /** One per AnalysisResult.words entry. */
  words: Array<{ accuracy: number; stress: number | null; total: number | null }>;
}

/** Plain data, times in ms. The lists are empty (and fluency, scores null) unless alignment.status is 'aligned'. */
export interface AnalysisResult {
  durationMs: number;
  frames: number;
  timings: AnalysisTimings;
  alignment: AnalysisAlignment;
  words: AnalyzedWord[];
  phones: AnalyzedPhone[];
  /** The optional silences the aligner placed before, between and after the words. */
  silences: TimeSpan[];
  /** The free phone loop's phones, silences included. */
  recognized: RecognizedPhone[];
  /** Expected phones against recognized (non-silence) phones, minimum edit distance. */
  edits: PhoneEdit[];
  fluency: Fluency | null;
  scores: AnalysisScores | null;
  /** What the learned scorer reads, phones x dim row-major (native/src/scoring/scorer_input.h); the recipe trains on it. */
  scorerInput: { dim: number; rows: Float32Array };
}

interface NativeAddon {
  decodeAudio(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedAudio>;
  computeFeatures(samples: Float32Array): Promise<Features>;
  textToPhonemes(text: string, language: string): Promise<Phonemization>;
  synthesize(text: string, options: SynthesisOptions): Promise<SynthesizedSpeech | EncodedSpeech>;
  synthesisVersion(): string;
  listLanguages(): Promise<VoiceLanguage[]>;
  onnxRuntimeVersion(): string;
  loadModel(manifestPath: string, options: ModelOptions): Promise<ModelHandle>;
  runModel(model: ModelHandle, features: Float32Array, frames: number): Promise<Posteriors>;
  modelInfo(model: ModelHandle): ModelInfo;
  analyze(
    model: ModelHandle,
    audio: Uint8Array,
    words: ExpectedWord[],
    options: AnalyzeOptions,
  ): Promise<AnalysisResult>;
}

const ADDON_PATH = '../../build/Release/speakai_native.node';

let addon: NativeAddon | undefined;

/** Loaded on first use, so that importing this module never fails where the addon is not built. */
function native(): NativeAddon {
  if (!addon) {
    try {
      addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    } catch (error) {
      throw new NativeEngineError(
        'ADDON_NOT_BUILT',
        'The native engine is not built: run `npx cmake-js compile` in the repository root',
        { cause: error },
      );
    }
  }
  return addon;
}

function isNativeErrorCode(code: unknown): code is NativeErrorCode {
  return typeof code === 'string' && (NATIVE_ERROR_CODES as readonly string[]).includes(code);
}

function toEngineError(error: unknown): unknown {
  if (error instanceof NativeEngineError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  return isNativeErrorCode(code) ? new NativeEngineError(code, error.message, { cause: error }) : error;
}

async function call<T>(operation: (engine: NativeAddon) => Promise<T>): Promise<T> {
  try {
    return await operation(native());
  } catch (error) {
    throw toEngineError(error);
  }
}

function callSync<T>(operation: (engine: NativeAddon) => T): T {
  try {
    return operation(native());
  } catch (error) {
    throw toEngineError(error);
  }
}

/** Decodes an upload (WebM/Opus, MP4/AAC, Ogg Opus/Vorbis, MP3, FLAC, WAV) to 16 kHz mono float32. */
export function decodeAudio(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedAudio> {
  return call((engine) => engine.decodeAudio(bytes, options));
}

/** Log-mel filterbank of 16 kHz mono samples: 25 ms frames every 10 ms, 80 mel bins. */
export function computeFeatures(samples: Float32Array): Promise<Features> {
  return call((engine) => engine.computeFeatures(samples));
}

/** Reference pronunciation of `text`, word by word, from espeak-ng. */
export function textToPhonemes(text: string, language: string): Promise<Phonemization> {
  return call((engine) => engine.textToPhonemes(text, language));
}

/**
 * Synthetic speech with espeak-ng's exact phone timings: 16 kHz samples, or with `format` an encoded file. espeak runs
 * on its own thread; emphasis and encoding on the libuv pool. Rejects with TEXT_EMPTY, TEXT_TOO_LONG,
 * LANGUAGE_UNSUPPORTED, VOICE_UNSUPPORTED, PHONEME_NOT_IN_TEXT, INVALID_ARGUMENT, SYNTHESIS_FAILED or ENCODE_FAILED.
 */
export function synthesize(text: string, options?: SynthesisOptions & { format?: 'pcm' }): Promise<SynthesizedSpeech>;
export function synthesize(text: string, options: SynthesisOptions & { format: EncodedFormat }): Promise<EncodedSpeech>;
export function synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesizedSpeech | EncodedSpeech> {
  return call((engine) => engine.synthesize(text, options));
}

/** What produces synthesize()'s audio (espeak-ng, libav, the emphasis revision): part of any cache key for it. */
export function synthesisVersion(): string {
  return callSync((engine) => engine.synthesisVersion());
}

/** Every language espeak-ng can phonemize and speak, with the voice that does it. */
export function listLanguages(): Promise<VoiceLanguage[]> {
  return call((engine) => engine.listLanguages());
}

/** Version of the ONNX Runtime library the addon loaded. */
export function onnxRuntimeVersion(): string {
  return callSync((engine) => engine.onnxRuntimeVersion());
}

/**
 * Loads the acoustic model described by a manifest (models/manifest.json): the model file's sha256 is checked, its
 * inputs and outputs and the manifest's feature settings are checked against the engine. Load once and share the
 * handle: runs on one handle may overlap. Rejects with MODEL_NOT_FOUND, MODEL_CHECKSUM_MISMATCH, MODEL_INVALID or
 * INVALID_ARGUMENT.
 */
export function loadModel(manifestPath: string, options: ModelOptions = {}): Promise<ModelHandle> {
  return call((engine) => engine.loadModel(manifestPath, options));
}

/**
 * Phone posteriors of `frames` frames of features (computeFeatures' `data`, frames x 80). Rejects with
 * INVALID_ARGUMENT when `features` does not hold frames x 80 values (at least one frame), MODEL_RUN_FAILED otherwise.
 */
export function runModel(model: ModelHandle, features: Float32Array, frames: number): Promise<Posteriors> {
  return call((engine) => engine.runModel(model, features, frames));
}

/** What a loaded model is: its inventory, feature settings, and the device it runs on. */
export function modelInfo(model: ModelHandle): ModelInfo {
  return callSync((engine) => engine.modelInfo(model));
}

/**
 * Pronunciation analysis of one recording against the expected words, in one call off the main thread: decode, features,
 * model, forced alignment and free phone loop, GOP per expected phone, phone edits. An alignment that fails is a result
 * (alignment.status, empty lists); audio errors reject with their AUDIO_* code, unknown phone ids or no words with
 * INVALID_ARGUMENT.
 */
export function analyze(
  model: ModelHandle,
  audio: Uint8Array,
  words: ExpectedWord[],
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  return call((engine) => engine.analyze(model, audio, words, options));
}
