import type { Static } from 'typebox';
import type { AnalysisResult } from '../../src/native/engine.ts';
import { guideEntry, ipaOf, type PhonemeGuide, type SpeechCatalog } from './catalog.ts';
import type { AnalysisResponse } from './schemas.ts';

/** Below this a phoneme is worth a suggestion; both scorers put a clean phone above 90. */
const NEEDS_WORK = 70;
const SUGGESTIONS = 3;

interface Context {
  target: string;
  /** The language tag the recording was scored in. */
  language: string;
  inventory: string[];
  /** The guide that names the model's phones (ARPAbet for English, IPA for the others). */
  guide: PhonemeGuide | undefined;
}

const round = (value: number) => Math.round(value * 10) / 10;

export type AnalysisFeedback = Omit<Static<typeof AnalysisResponse>, 'attemptId' | 'audioUrl'>;
/** What the recording and the target decide, the same for every learner: what the analysis cache keeps. */
export type ScoredRecording = Omit<AnalysisFeedback, 'suggestions'>;
type PhonemeScore = ScoredRecording['phonemeScores'][number];

const wordsOf = (target: string) => target.trim().split(/\s+/);
/** The phonemes worth a suggestion, weakest first. */
const weakestFirst = (scores: PhonemeScore[]) =>
  scores.filter((p) => p.saidAs !== null).sort((a, b) => a.accuracy - b.accuracy);

/**
 * Expected phones that two independent detectors heard as the same other phone: the free phone loop recognised a
 * substitution, and that phone is also the forced segment's most likely alternative ("said as"). The learned
 * scorer, trained on experts who were lenient with many near-misses, can still rate such a phone in the 80s; the
 * learner should hear about it anyway, because we can name the sound they made.
 */
function heardAsAnother(result: AnalysisResult): Set<number> {
  const positions = new Set<number>();
  for (const edit of result.edits) {
    if (edit.kind !== 'substitution' || edit.expected === undefined || edit.recognized === undefined) continue;
    const phone = result.phones[edit.expected];
    if (phone && result.recognized[edit.recognized]?.phone === phone.saidAs) positions.add(edit.expected);
  }
  return positions;
}

/** The engine's result as every learner sees it: scores, and what to fix first. */
export function scoredRecording(result: AnalysisResult, context: Context): ScoredRecording {
  const { inventory, guide } = context;
  const symbol = (id: number) => inventory[id] ?? '?';
  const words = wordsOf(context.target);

  const heardAs = heardAsAnother(result);
  const phonemeScores = result.phones.map((phone, position) => ({
    phoneme: symbol(phone.phone),
    ipa: ipaOf(guide, symbol(phone.phone)),
    accuracy: round(phone.score),
    position,
    duration: phone.endMs - phone.startMs,
    startMs: phone.startMs,
    endMs: phone.endMs,
    word: phone.word,
    saidAs: phone.score < NEEDS_WORK || heardAs.has(position) ? symbol(phone.saidAs) : null,
  }));
  const omissions = result.edits
    .filter((edit) => edit.kind === 'deletion' && edit.expected !== undefined)
    .map((edit) => ({
      phoneme: symbol(result.phones[edit.expected as number]?.phone ?? -1),
      position: edit.expected as number,
    }));
  const insertions = result.edits
    .filter((edit) => edit.kind === 'insertion' && edit.recognized !== undefined)
    .map((edit) => result.recognized[edit.recognized as number])
    .filter((heard) => heard !== undefined)
    .map((heard) => ({ phoneme: symbol(heard.phone), startMs: heard.startMs, endMs: heard.endMs }));

  const weakest = weakestFirst(phonemeScores);
  const scores = result.scores as NonNullable<AnalysisResult['scores']>;
  const fluency = result.fluency as NonNullable<AnalysisResult['fluency']>;
  const orNull = (value: number | null) => (value === null ? null : round(value));
  const clear = phonemeScores.length - weakest.length;
  const first = weakest[0];
  const feedback = first
    ? `Good effort: ${clear} of ${phonemeScores.length} sounds were clear. Work first on /${first.ipa}/ in "${words[first.word] ?? context.target}".`
    : `Excellent: all ${phonemeScores.length} sounds were clear. Try saying it a little faster, or try a longer sentence.`;

  return {
    language: context.language,
    accuracy: round(scores.utterance.accuracy),
    completeness: round(scores.utterance.completeness),
    total: orNull(scores.utterance.total),
    scoredBy: scores.source,
    fluency: {
      score: orNull(scores.utterance.fluency),
      prosody: orNull(scores.utterance.prosodic),
      wordsPerMinute: round(fluency.wordsPerMinute),
      phonesPerSecond: round(fluency.phonesPerSecond),
      pauseCount: fluency.pauseCount,
      longestPauseMs: fluency.longestPauseMs,
      pauses: fluency.pauses,
    },
    feedback,
    phonemeScores,
    words: result.words.map((word, w) => ({
      text: word.text,
      accuracy: round(scores.words[w]?.accuracy ?? 0),
      stress: orNull(scores.words[w]?.stress ?? null),
      total: orNull(scores.words[w]?.total ?? null),
      startMs: word.startMs,
      endMs: word.endMs,
    })),
    omissions,
    insertions,
    durationMs: result.durationMs,
  };
}

/** One tip for each of the weakest sounds, for this learner's first language; `language` names the guide. */
export function suggestionsFor(
  scored: ScoredRecording,
  context: { target: string; catalog: SpeechCatalog; language: string; nativeLanguage: string },
): string[] {
  const { catalog, language } = context;
  const guide = catalog.guides.get(language);
  const words = wordsOf(context.target);
  return weakestFirst(scored.phonemeScores)
    .slice(0, SUGGESTIONS)
    .map((p) => {
      const word = words[p.word] ?? context.target;
      const confusion = catalog
        .confusionsFor(language, context.nativeLanguage, p.phoneme)
        .find((c) => c.saidAs === p.saidAs || c.saidAs === '<DEL>');
      if (confusion) return `/${p.ipa}/ in "${word}": ${confusion.why} ${confusion.practice}`;
      const heard = p.saidAs && p.saidAs !== 'SIL' ? ` It sounded like /${ipaOf(guide, p.saidAs)}/.` : '';
      return `/${p.ipa}/ in "${word}":${heard} ${guideEntry(guide, p.phoneme)?.tip ?? ''}`.trim();
    });
}
