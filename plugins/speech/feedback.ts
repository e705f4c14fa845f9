import type { Static } from 'typebox';
import type { AnalysisResult } from '../../src/native/engine.ts';
import type { SpeechCatalog } from './catalog.ts';
import type { AnalysisResponse } from './schemas.ts';

/** Below this a phoneme is worth a suggestion; the GOP mapping puts a clean phone near 100. */
const NEEDS_WORK = 70;
const SUGGESTIONS = 3;

interface Context {
  target: string;
  inventory: string[];
  catalog: SpeechCatalog;
  nativeLanguage: string;
}

const round = (value: number) => Math.round(value * 10) / 10;

export type AnalysisFeedback = Omit<Static<typeof AnalysisResponse>, 'attemptId' | 'audioUrl'>;

/** The engine's result as the learner sees it: scores, what to fix first, and how. */
export function feedbackFor(result: AnalysisResult, context: Context): AnalysisFeedback {
  const { inventory, catalog } = context;
  const guide = catalog.guides.get('en');
  const ipaOf = (symbol: string) => guide?.phonemes.find((p) => p.symbol === symbol)?.ipa ?? symbol;
  const symbol = (id: number) => inventory[id] ?? '?';
  const words = context.target.trim().split(/\s+/);

  const phonemeScores = result.phones.map((phone, position) => ({
    phoneme: symbol(phone.phone),
    ipa: ipaOf(symbol(phone.phone)),
    accuracy: round(phone.score),
    position,
    duration: phone.endMs - phone.startMs,
    startMs: phone.startMs,
    endMs: phone.endMs,
    word: phone.word,
    saidAs: phone.score < NEEDS_WORK ? symbol(phone.saidAs) : null,
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

  const weakest = [...phonemeScores].filter((p) => p.accuracy < NEEDS_WORK).sort((a, b) => a.accuracy - b.accuracy);
  const suggestions = weakest.slice(0, SUGGESTIONS).map((p) => {
    const word = words[p.word] ?? context.target;
    const confusion = catalog
      .confusionsFor(context.nativeLanguage, p.phoneme)
      .find((c) => c.saidAs === p.saidAs || c.saidAs === '<DEL>');
    if (confusion) return `/${p.ipa}/ in "${word}": ${confusion.why} ${confusion.practice}`;
    const tip = guide?.phonemes.find((entry) => entry.symbol === p.phoneme)?.tip ?? '';
    const heard = p.saidAs && p.saidAs !== 'SIL' ? ` It sounded like /${ipaOf(p.saidAs)}/.` : '';
    return `/${p.ipa}/ in "${word}":${heard} ${tip}`.trim();
  });

  const scores = result.scores as NonNullable<AnalysisResult['scores']>;
  const fluency = result.fluency as NonNullable<AnalysisResult['fluency']>;
  const orNull = (value: number | null) => (value === null ? null : round(value));
  const clear = phonemeScores.length - weakest.length;
  const first = weakest[0];
  const feedback = first
    ? `Good effort: ${clear} of ${phonemeScores.length} sounds were clear. Work first on /${first.ipa}/ in "${words[first.word] ?? context.target}".`
    : `Excellent: all ${phonemeScores.length} sounds were clear. Try saying it a little faster, or try a longer sentence.`;

  return {
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
    suggestions,
    durationMs: result.durationMs,
  };
}
