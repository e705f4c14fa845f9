import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { text as readText } from 'node:stream/consumers';
import { AppError } from '../../src/errors.ts';
import type { ErrorExample } from '../../src/http/error-envelope.ts';
import { NativeEngineError, synthesisVersion, synthesize, type TimedPhone } from '../../src/native/engine.ts';
import type { Storage } from '../../src/storage/storage.ts';
import type { SpeechCatalog } from './catalog.ts';

/** Shared by every learner: the same request is the same audio, whoever asks. */
export const REFERENCE_AUDIO_PREFIX = 'reference-audio/';
export const MAX_TEXT_LENGTH = 200;
export const REFERENCE_FORMATS = {
  opus: { extension: 'ogg', contentType: 'audio/ogg' },
  mp3: { extension: 'mp3', contentType: 'audio/mpeg' },
} as const;
export type ReferenceFormat = keyof typeof REFERENCE_FORMATS;

const JSON_TYPE = 'application/json';
const TEXT_EMPTY = 'text must contain a word to say';
const TEXT_TOO_LONG = `text may be at most ${MAX_TEXT_LENGTH} characters`;
const INVALID_PHONEME = 'emphasizePhonemes must name phonemes, e.g. "θ" or "/θ/"';

/** The refusals of reference audio, as the OpenAPI document shows them. */
export const REFERENCE_ERRORS: ErrorExample[] = [
  { status: 400, code: 'TEXT_EMPTY', message: TEXT_EMPTY },
  {
    status: 400,
    code: 'TEXT_TOO_LONG',
    message: TEXT_TOO_LONG,
    details: { maxLength: MAX_TEXT_LENGTH },
  },
  {
    status: 400,
    code: 'UNSUPPORTED_LANGUAGE',
    message: 'There is no voice for language "xx"',
    details: { supported: ['en', 'es', 'fr'] },
  },
  {
    status: 400,
    code: 'UNKNOWN_VOICE',
    message: '"robot" is not a voice of language "en"',
    details: { voices: ['gmw/en-US', 'gmw/en'] },
  },
  { status: 400, code: 'INVALID_PHONEME', message: INVALID_PHONEME },
  {
    status: 400,
    code: 'PHONEME_NOT_IN_TEXT',
    message: '"think" does not have every phoneme to emphasize',
    details: { missing: ['ʃ'], available: ['θ', 'ɪ', 'ŋ', 'k'] },
  },
];
/** espeak-ng's words per minute at speed 1. */
const BASE_RATE = 175;

export interface ReferenceRequest {
  text: string;
  language: string;
  voice?: string;
  speed?: number;
  emphasizePhonemes?: string[];
  format?: ReferenceFormat;
}

/** What the audio depends on, and nothing else: its hash names the stored file. */
interface Normalized {
  text: string;
  language: string;
  voice: string;
  rate: number;
  emphasize: string[];
  format: ReferenceFormat;
}

export interface StoredReference {
  key: string;
  format: ReferenceFormat;
  contentType: string;
  durationMs: number;
  phones: TimedPhone[];
}

const normalizeText = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ');

/** '/θ/', '[θ]' and 'ˈθ' all name θ, as the engine does. */
const normalizePhoneme = (name: string) => name.normalize('NFC').replace(/[/[\]ˈˌ\s]/g, '');

/**
 * Reference audio, synthesized once per distinct request: stored under `reference-audio/<sha256>.<ext>` with its
 * timings beside it (`.json`, written last, so its presence means the audio is complete). The hash covers the
 * normalized request and the engine's version, so an espeak-ng or encoder upgrade makes new files.
 */
export class ReferenceAudioStore {
  private readonly storage: Storage;
  private readonly catalog: SpeechCatalog;
  private readonly version = synthesisVersion();
  /** Identical requests in flight share one synthesis. */
  private readonly pending = new Map<string, Promise<StoredReference>>();

  constructor(storage: Storage, catalog: SpeechCatalog) {
    this.storage = storage;
    this.catalog = catalog;
  }

  /** The stored audio for a request, synthesized and stored first when it is new. */
  async fetch(request: ReferenceRequest): Promise<{ reference: StoredReference; hit: boolean }> {
    const normalized = this.normalize(request);
    const hash = createHash('sha256')
      .update(JSON.stringify({ version: this.version, ...normalized }))
      .digest('hex');
    const stored = await this.read(hash);
    if (stored) return { reference: stored, hit: true };
    let job = this.pending.get(hash);
    if (!job) {
      job = this.create(hash, normalized).finally(() => this.pending.delete(hash));
      this.pending.set(hash, job);
    }
    return { reference: await job, hit: false };
  }

  url(reference: StoredReference): Promise<string> {
    return this.storage.url(reference.key);
  }

  private normalize(request: ReferenceRequest): Normalized {
    const text = normalizeText(request.text);
    if (!/[\p{L}\p{N}]/u.test(text)) throw new AppError(400, 'TEXT_EMPTY', TEXT_EMPTY);
    if (text.length > MAX_TEXT_LENGTH) {
      throw new AppError(400, 'TEXT_TOO_LONG', TEXT_TOO_LONG, {
        maxLength: MAX_TEXT_LENGTH,
      });
    }
    const language = request.language.trim().toLowerCase();
    const entry = this.catalog.languages.find((candidate) => candidate.code === language);
    if (!entry) {
      throw new AppError(400, 'UNSUPPORTED_LANGUAGE', `There is no voice for language "${request.language}"`, {
        supported: this.catalog.languages.map((candidate) => candidate.code),
      });
    }
    const { voice } = this.catalog.voiceOf(entry.code, request.voice);
    const emphasize = [...new Set((request.emphasizePhonemes ?? []).map(normalizePhoneme))].sort();
    if (emphasize.some((name) => name.length === 0)) {
      throw new AppError(400, 'INVALID_PHONEME', INVALID_PHONEME);
    }
    const rate = Math.round(BASE_RATE * (request.speed ?? 1));
    return { text, language, voice, rate, emphasize, format: request.format ?? 'opus' };
  }

  private async read(hash: string): Promise<StoredReference | null> {
    const meta = await this.storage.get(`${REFERENCE_AUDIO_PREFIX}${hash}.json`);
    return meta ? (JSON.parse(await readText(meta.body)) as StoredReference) : null;
  }

  private async create(hash: string, request: Normalized): Promise<StoredReference> {
    const { text, language, voice, rate, emphasize, format } = request;
    const speech = await synthesize(text, { language, voice, rate, format, emphasize }).catch((error: unknown) =>
      this.explain(error, request),
    );
    const { extension, contentType } = REFERENCE_FORMATS[format];
    const reference = {
      key: `${REFERENCE_AUDIO_PREFIX}${hash}.${extension}`,
      format,
      contentType,
      durationMs: speech.durationMs,
      phones: speech.phones,
    };
    await this.storage.put(reference.key, speech.audio, contentType);
    try {
      await this.storage.put(
        `${REFERENCE_AUDIO_PREFIX}${hash}.json`,
        Buffer.from(JSON.stringify(reference)),
        JSON_TYPE,
      );
    } catch (error) {
      await this.storage.delete(reference.key).catch(() => undefined);
      throw error;
    }
    return reference;
  }

  /** The engine's refusals a client can act on, as 400s; anything else stays a server error. */
  private async explain(error: unknown, request: Normalized): Promise<never> {
    if (!(error instanceof NativeEngineError)) throw error;
    if (error.code === 'TEXT_EMPTY') throw new AppError(400, 'TEXT_EMPTY', TEXT_EMPTY);
    if (error.code === 'PHONEME_NOT_IN_TEXT') {
      const { text, language, voice, rate } = request;
      const phones = (await synthesize(text, { language, voice, rate })).phones.map((phone) => phone.ipa);
      const available = [...new Set(phones)];
      throw new AppError(400, 'PHONEME_NOT_IN_TEXT', `"${text}" does not have every phoneme to emphasize`, {
        missing: request.emphasize.filter((name) => !available.includes(name)),
        available,
      });
    }
    throw error;
  }
}

/** Links that fetch reference audio without a bearer token (an <audio src> cannot send one): signed and expiring. */
export class ReferenceLinks {
  private readonly secret: string;
  private readonly publicUrl: string;
  private readonly ttlSeconds: number;

  constructor(options: { secret: string; publicUrl: string; ttlSeconds: number }) {
    this.secret = options.secret;
    this.publicUrl = options.publicUrl;
    this.ttlSeconds = options.ttlSeconds;
  }

  link(text: string, language: string, format: ReferenceFormat): string {
    const expires = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({ text, language, format, expires: String(expires) });
    query.set('signature', this.sign(text, language, format, expires));
    return `${this.publicUrl}/speech/reference-audio?${query}`;
  }

  verify(query: { text: string; language: string; format: ReferenceFormat; expires: number; signature: string }) {
    const { text, language, format, expires, signature } = query;
    if (expires < Date.now() / 1000) return false;
    const expected = Buffer.from(this.sign(text, language, format, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(text: string, language: string, format: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(['reference-audio', text, language, format, expires].join('\n'))
      .digest('base64url');
  }
}
