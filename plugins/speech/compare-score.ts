/**
 * How close a learner's recording is to a reference recording of the same target (POST /speech/compare).
 *
 * Both recordings are force-aligned to the same expected phones, so phone i of one is phone i of the other. The
 * overall similarity (0-100) is 0.7 sound + 0.2 rhythm + 0.1 pace:
 *
 * - sound: per phone, `similarity` is the overlap (Bhattacharyya coefficient, x100) of what the acoustic model heard
 *   in the two segments, each the phone's mean log posteriors over its frames made a distribution again. 100: the
 *   model heard the same sound in both. Measured on espeak-ng speech by scripts/speech/compare-verdicts.ts: a
 *   substituted phone (sip, tree, berry for ship, three, very) falls to 3-17, and the S of "sink" for "think" to 61,
 *   while the same phone from another voice, rate or pitch mostly stays above 80: 50-70 at worst for squeezed
 *   phones at 250 words a minute, RP's final L and DH, and 15-35 for the ER that British and New York voices do not
 *   say (a different sound indeed). So a phone earns nothing up to 40 and full credit from 90, linearly between,
 *   and nothing when its verdict (below) is 'different-sound'; the sound part is the mean credit:
 *   one substituted phone in four costs a quarter of it. The overlap, not the gap between the two phones' scores,
 *   is the measure: the score of a short final stop swings by 50 points between two native voices (K of "think":
 *   53 and 1) while the overlap stays at 84. The gap is reported as `scoreGap`.
 * - rhythm: per phone, its share of the learner's phone time against its share of the reference's (durationRatio),
 *   so a slower speaker is not marked down for tempo alone; 0.8-1.25 is as close as two native voices come, and
 *   counts as 100.
 * - pace: the articulation rate (phones per second, pauses excluded) of the learner against the reference's: 100
 *   from 2/3 to 1.5 times, less beyond, and less again for the share of the speaking time the learner spent in
 *   pauses beyond the reference's share.
 *
 * A phone's verdict: 'different-sound' when the learner's phone scored 10 or more points below the reference's and
 * was heard as another sound: the overlap is below 50, or below 75 with another most likely phone. The second test
 * is needed because the model, trained on learners, hears some of espeak-ng's own TH as S (0.29 of the reference's
 * mass in "think"), so a clean S said for it keeps an overlap near 60; above 75 two segments are heard alike even
 * when they rank the same two phones in another order (Z and S at 250 words a minute: 95). Else 'too-long' when it
 * lasts at least twice as long as the reference's phone, 50 ms more, and its durationRatio is still above 1.5, so
 * that tempo alone does not explain it ('too-short': half, 50 ms less, below 1/1.5); else 'good'. Both conditions,
 * because people (and espeak-ng) slow down mostly by stretching vowels: espeak-ng's "think" at 100 words a minute
 * against 175 holds its vowel 1.9 times as long and 1.5 times its share, and that is a slower tempo, not a wrong
 * sound; at 80 words a minute, 2.6 times. A word takes the verdict of its
 * first flagged phone, a different sound first.
 *
 * There is no posteriorgram DTW: it needs the model run a second time on both recordings (the engine does not return
 * the frame posteriors) and would tell little the per-phone overlap does not, as both recordings are aligned to the
 * same phones already.
 */
import type { AnalysisResult } from '../../src/native/engine.ts';

/** One analysed recording, as much as a comparison needs: plain JSON, so it can be cached. */
export interface Take {
  durationMs: number;
  accuracy: number;
  phones: Array<Span & { phone: number; word: number; score: number; heard: number[] }>;
  words: Array<Span & { index: number; text: string; accuracy: number }>;
  fluency: {
    speakingMs: number;
    phonesPerSecond: number;
    wordsPerMinute: number;
    pauseCount: number;
    pauseMs: number;
  };
}

interface Span {
  startMs: number;
  endMs: number;
}

export type Verdict = 'good' | 'too-short' | 'too-long' | 'different-sound';

export interface PhoneLabel {
  phoneme: string;
  ipa: string;
}

const WEIGHTS = { sound: 0.7, rhythm: 0.2, pace: 0.1 };
const DIFFERENT_SOUND = 50;
const DIFFERENT_SOUND_IF_CHANGED = 75;
/** Similarity that earns no sound credit, and full credit. */
const SOUND_CREDIT: Band = [40, 90];
// 10, not more: the learned scorer, like the experts it follows, rates a clear substitution such as "sink" for
// "think" only 10 to 20 points below the right sound.
const DIFFERENT_SCORE_GAP = -10;
const TOO_LONG = 1.5;
const TWICE = 2;
const NOTICEABLE_MS = 50;
const RHYTHM_BAND: Band = [0.8, 1.25];
const PACE_BAND: Band = [2 / 3, 1.5];
/** Where the tempo verdict says slower or faster; only beyond PACE_BAND does it cost points. */
const TEMPO_BAND: Band = [0.8, 1.25];
/** native/src/scoring/gop.h: AnalyzedPhone.features holds [lpp, lpr, frames, mean log posterior of each phone]. */
const FIRST_PHONE_MEAN = 3;

type Band = [number, number];

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const mean = (values: number[]) => (values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : 0);
const lengthOf = (span: Span) => span.endMs - span.startMs;
const spanOf = ({ startMs, endMs }: Span) => ({ startMs, endMs });

/** 100 inside the band, falling in proportion outside it. */
function inBand(ratio: number, [low, high]: Band): number {
  return ratio > 0 ? 100 * Math.min(1, ratio / low, high / ratio) : 0;
}

function soundCredit(similarity: number): number {
  const [none, full] = SOUND_CREDIT;
  return 100 * Math.min(1, Math.max(0, (similarity - none) / (full - none)));
}

/** The phone's mean log posteriors made a distribution again: what the model heard over the segment. */
function heardOf(features: Float32Array): number[] {
  const logs = Array.from(features.subarray(FIRST_PHONE_MEAN));
  const top = Math.max(...logs);
  const weights = logs.map((value) => Math.exp(value - top));
  const total = weights.reduce((sum, w) => sum + w, 0);
  // Four significant digits: the overlap does not need more, and the cache stores them as text.
  return weights.map((w) => Number((w / total).toPrecision(4)));
}

/** A successful analysis (aligned, scored) as a Take. */
export function takeOf(result: AnalysisResult): Take {
  const scores = result.scores as NonNullable<AnalysisResult['scores']>;
  const fluency = result.fluency as NonNullable<AnalysisResult['fluency']>;
  return {
    durationMs: result.durationMs,
    accuracy: scores.utterance.accuracy,
    phones: result.phones.map((p) => ({
      ...spanOf(p),
      phone: p.phone,
      word: p.word,
      score: p.score,
      heard: heardOf(p.features),
    })),
    words: result.words.map((w, i) => ({
      ...spanOf(w),
      index: w.index,
      text: w.text,
      accuracy: scores.words[i]?.accuracy ?? 0,
    })),
    fluency: {
      speakingMs: fluency.speakingMs,
      phonesPerSecond: fluency.phonesPerSecond,
      wordsPerMinute: fluency.wordsPerMinute,
      pauseCount: fluency.pauseCount,
      pauseMs: fluency.pauseMs,
    },
  };
}

/** Bhattacharyya coefficient of two distributions: 1 when they are the same, 0 when they share nothing. */
function overlap(p: number[], q: number[]): number {
  return Math.min(
    1,
    p.reduce((sum, value, i) => sum + Math.sqrt(value * (q[i] ?? 0)), 0),
  );
}

/** The learner's segment was most likely another phone than the reference's. */
function topChanged(mine: number[], theirs: number[]): boolean {
  const top = (heard: number[]) => heard.indexOf(Math.max(...heard));
  return top(mine) !== top(theirs);
}

function verdictOf(
  sound: { similarity: number; changed: boolean; scoreGap: number },
  durationRatio: number,
  mine: Span,
  theirs: Span,
): Verdict {
  const heardAsAnother =
    sound.similarity < DIFFERENT_SOUND || (sound.changed && sound.similarity < DIFFERENT_SOUND_IF_CHANGED);
  if (heardAsAnother && sound.scoreGap <= DIFFERENT_SCORE_GAP) {
    return 'different-sound';
  }
  const [learnerMs, referenceMs] = [lengthOf(mine), lengthOf(theirs)];
  const longer = learnerMs >= TWICE * referenceMs && learnerMs - referenceMs >= NOTICEABLE_MS;
  if (longer && durationRatio > TOO_LONG) return 'too-long';
  const shorter = TWICE * learnerMs <= referenceMs && referenceMs - learnerMs >= NOTICEABLE_MS;
  if (shorter && durationRatio < 1 / TOO_LONG) return 'too-short';
  return 'good';
}

const SEVERITY: Verdict[] = ['different-sound', 'too-long', 'too-short'];

function worstOf(verdicts: Verdict[]): Verdict {
  return SEVERITY.find((verdict) => verdicts.includes(verdict)) ?? 'good';
}

function phoneTimeOf(take: Take, word?: number): number {
  return take.phones.filter((p) => word === undefined || p.word === word).reduce((sum, p) => sum + lengthOf(p), 0);
}

function comparePhones(learner: Take, reference: Take, label: (phone: number) => PhoneLabel) {
  const tempoFactor = phoneTimeOf(learner) / phoneTimeOf(reference);
  return learner.phones.map((mine, position) => {
    const theirs = reference.phones[position] as Take['phones'][number];
    const similarity = 100 * overlap(mine.heard, theirs.heard);
    const expectedMs = lengthOf(theirs) * tempoFactor;
    const durationRatio = lengthOf(mine) / expectedMs;
    const scoreGap = mine.score - theirs.score;
    const changed = topChanged(mine.heard, theirs.heard);
    const verdict = verdictOf({ similarity, changed, scoreGap }, durationRatio, mine, theirs);
    return {
      ...label(mine.phone),
      position,
      word: mine.word,
      learner: { ...spanOf(mine), score: round(mine.score) },
      reference: { ...spanOf(theirs), score: round(theirs.score) },
      similarity: round(similarity),
      durationRatio: round(durationRatio, 2),
      scoreGap: round(scoreGap),
      verdict,
      // A sound we tell the learner was another one earns none of the sound part, whatever its overlap.
      credit: verdict === 'different-sound' ? 0 : soundCredit(similarity),
      timing: inBand(durationRatio, RHYTHM_BAND),
    };
  });
}

type PhoneComparison = ReturnType<typeof comparePhones>[number];

function compareWords(learner: Take, reference: Take, phones: PhoneComparison[]) {
  const tempoFactor = phoneTimeOf(learner) / phoneTimeOf(reference);
  return learner.words.map((mine, i) => {
    const theirs = reference.words[i] as Take['words'][number];
    const own = phones.filter((p) => p.word === mine.index);
    return {
      text: mine.text,
      position: mine.index,
      learner: { ...spanOf(mine), score: round(mine.accuracy) },
      reference: { ...spanOf(theirs), score: round(theirs.accuracy) },
      similarity: round(mean(own.map((p) => p.similarity))),
      durationRatio: round(phoneTimeOf(learner, mine.index) / (phoneTimeOf(reference, mine.index) * tempoFactor), 2),
      scoreGap: round(mine.accuracy - theirs.accuracy),
      verdict: worstOf(own.map((p) => p.verdict)),
    };
  });
}

function tempoOf(learner: Take, reference: Take) {
  const ratio = learner.fluency.phonesPerSecond / reference.fluency.phonesPerSecond;
  const verdict = ratio < TEMPO_BAND[0] ? 'slower' : ratio > TEMPO_BAND[1] ? 'faster' : 'similar';
  const pauseShare = (take: Take) => take.fluency.pauseMs / Math.max(1, take.fluency.speakingMs);
  const extraPauses = Math.max(0, pauseShare(learner) - pauseShare(reference));
  return { ratio, verdict, score: inBand(ratio, PACE_BAND) * (1 - Math.min(1, extraPauses)) } as const;
}

function performance(take: Take) {
  const { phonesPerSecond, wordsPerMinute, pauseCount, pauseMs } = take.fluency;
  return {
    durationMs: take.durationMs,
    accuracy: round(take.accuracy),
    phonesPerSecond: round(phonesPerSecond),
    wordsPerMinute: round(wordsPerMinute),
    pauseCount,
    pauseMs,
  };
}

function summaryOf(
  similarity: number,
  phones: PhoneComparison[],
  words: Take['words'],
  tempo: ReturnType<typeof tempoOf>,
) {
  const where = (p: PhoneComparison) => `/${p.ipa}/ in "${words.find((w) => w.index === p.word)?.text ?? ''}"`;
  const notes = [
    ...phones.filter((p) => p.verdict === 'different-sound').map((p) => `${where(p)} sounded different`),
    ...phones.filter((p) => p.verdict === 'too-long').map((p) => `${where(p)} was held too long`),
    ...phones.filter((p) => p.verdict === 'too-short').map((p) => `${where(p)} was too short`),
  ].slice(0, 3);
  const closeness =
    similarity >= 85
      ? 'Very close to the reference'
      : similarity >= 70
        ? 'Close to the reference'
        : 'Not yet like the reference';
  const pace =
    tempo.verdict === 'similar'
      ? ''
      : ` You spoke ${tempo.verdict} than the reference, which is fine while you practise.`;
  return `${closeness}${notes.length ? `: ${notes.join('; ')}.` : '.'}${pace}`;
}

/** The learner's take against the reference's, both aligned to the same expected phones. */
export function compareTakes(learner: Take, reference: Take, label: (phone: number) => PhoneLabel) {
  const paired =
    learner.phones.length === reference.phones.length &&
    learner.phones.every((p, i) => p.phone === reference.phones[i]?.phone);
  if (!paired) throw new Error('compareTakes: the two takes are not aligned to the same phones');
  const phones = comparePhones(learner, reference, label);
  const words = compareWords(learner, reference, phones);
  const tempo = tempoOf(learner, reference);
  const parts = {
    sound: mean(phones.map((p) => p.credit)),
    rhythm: mean(phones.map((p) => p.timing)),
    pace: tempo.score,
  };
  const similarity = WEIGHTS.sound * parts.sound + WEIGHTS.rhythm * parts.rhythm + WEIGHTS.pace * parts.pace;
  return {
    similarity: round(similarity),
    parts: { sound: round(parts.sound), rhythm: round(parts.rhythm), pace: round(parts.pace) },
    tempo: { ratio: round(tempo.ratio, 2), verdict: tempo.verdict },
    summary: summaryOf(similarity, phones, learner.words, tempo),
    phones: phones.map(({ credit: _credit, timing: _timing, ...phone }) => phone),
    words,
    learner: performance(learner),
    reference: performance(reference),
  };
}

export type Comparison = ReturnType<typeof compareTakes>;
