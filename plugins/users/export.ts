import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import {
  LessonProgress,
  OAuthIdentity,
  PracticeSession,
  RefreshToken,
  Subscription,
  User,
  UserAchievement,
  UserPreferences,
  WordAttempt,
} from '../../src/entities/index.ts';
import { toUserView } from './user-view.ts';

/**
 * Everything we hold about a user, in one JSON document (GDPR art. 20). Secrets are left out: password hash, MFA
 * secret and token hashes are ours to protect, not data about the person.
 */
export async function exportUserData(fastify: FastifyInstance, em: SqlEntityManager, userId: string) {
  const user = await em.findOneOrFail(User, userId);
  const sessions = await em.find(PracticeSession, { user: userId }, { orderBy: { completedAt: 'asc' } });
  const [preferences, attempts, lessonProgress, achievements, subscriptions, identities, signIns] = await Promise.all([
    em.findOne(UserPreferences, { user: userId }),
    em.find(WordAttempt, { user: userId }, { orderBy: { createdAt: 'asc' } }),
    em.find(LessonProgress, { user: userId }),
    em.find(UserAchievement, { user: userId }, { populate: ['achievement'] }),
    em.find(Subscription, { user: userId }),
    em.find(OAuthIdentity, { user: userId }),
    em.find(RefreshToken, { user: userId, revokedAt: null }),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    user: await toUserView(fastify, user),
    preferences: preferences && {
      dailyGoalMinutes: preferences.dailyGoalMinutes,
      reminderEnabled: preferences.reminderEnabled,
      reminderTime: preferences.reminderTime ?? null,
      difficultyPreference: preferences.difficultyPreference,
      audioQuality: preferences.audioQuality,
    },
    practiceSessions: sessions.map(({ id, duration, accuracy, wordsCount, completedAt, lesson }) => ({
      id,
      lessonId: lesson?.id ?? null,
      duration,
      accuracy,
      wordsCount,
      completedAt,
    })),
    wordAttempts: attempts.map(({ id, session, word, accuracy, attempts: tries, completed, createdAt }) => ({
      id,
      sessionId: session?.id ?? null,
      word,
      accuracy,
      attempts: tries,
      completed,
      createdAt,
    })),
    lessonProgress: lessonProgress.map(({ lesson, progress, completed, lastAccuracy, startedAt, completedAt }) => ({
      lessonId: lesson.id,
      progress,
      completed,
      lastAccuracy: lastAccuracy ?? null,
      startedAt,
      completedAt: completedAt ?? null,
    })),
    achievements: achievements.map(({ achievement, earnedAt }) => ({ code: achievement.code, earnedAt })),
    subscriptions: subscriptions.map(({ plan, status, startDate, endDate }) => ({ plan, status, startDate, endDate })),
    signInProviders: identities.map(({ provider, email, createdAt }) => ({ provider, email, linkedAt: createdAt })),
    activeSessions: signIns.map(({ createdAt, expiresAt, userAgent }) => ({ createdAt, expiresAt, userAgent })),
  };
}
