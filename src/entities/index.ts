import { Achievement } from './achievement.ts';
import { Lesson } from './lesson.ts';
import { LessonCategory } from './lesson-category.ts';
import { LessonProgress } from './lesson-progress.ts';
import { LessonWord } from './lesson-word.ts';
import { MfaRecoveryCode } from './mfa-recovery-code.ts';
import { OAuthIdentity } from './oauth-identity.ts';
import { OneTimeToken } from './one-time-token.ts';
import { PracticeSession } from './practice-session.ts';
import { RefreshToken } from './refresh-token.ts';
import { Subscription } from './subscription.ts';
import { User } from './user.ts';
import { UserAchievement } from './user-achievement.ts';
import { UserPreferences } from './user-preferences.ts';
import { WordAttempt } from './word-attempt.ts';

export {
  Achievement,
  Lesson,
  LessonCategory,
  LessonProgress,
  LessonWord,
  MfaRecoveryCode,
  OAuthIdentity,
  OneTimeToken,
  PracticeSession,
  RefreshToken,
  Subscription,
  User,
  UserAchievement,
  UserPreferences,
  WordAttempt,
};

export const entities = [
  User,
  UserPreferences,
  RefreshToken,
  OneTimeToken,
  OAuthIdentity,
  MfaRecoveryCode,
  LessonCategory,
  Lesson,
  LessonWord,
  LessonProgress,
  PracticeSession,
  WordAttempt,
  Achievement,
  UserAchievement,
  Subscription,
];
