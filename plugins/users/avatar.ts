import { randomBytes } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import sharp from 'sharp';
import { AppError, badRequest } from '../../src/errors.ts';

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
const AVATAR_SIZE = 512;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif']);
/** A 4000 × 4000 photo is plenty; a larger canvas is more likely a decompression bomb than a face. */
const MAX_INPUT_PIXELS = 4096 * 4096;

/**
 * Reads an uploaded image and re-encodes it as a square WebP: whatever the client sent (EXIF with GPS, colour
 * profiles, trailing bytes) never reaches storage. The format is judged by content, not by the declared type.
 */
export async function normalizeAvatar(file: MultipartFile | undefined): Promise<Buffer> {
  if (!file) throw badRequest('Send the image as a multipart file field', { field: 'avatar' });
  const input = await file.toBuffer();
  if (input.length > AVATAR_MAX_BYTES) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `An avatar may be at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB`);
  }
  const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
  const format = await image
    .metadata()
    .then((meta) => meta.format)
    .catch(() => undefined);
  if (!format || !ACCEPTED_FORMATS.has(format)) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The avatar must be a JPEG, PNG, WebP, GIF, HEIF or AVIF image');
  }
  try {
    return await image
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
      .webp({ quality: 85 })
      .toBuffer();
  } catch (error) {
    throw new AppError(422, 'INVALID_IMAGE', 'The image could not be read: it may be damaged or too large', {
      reason: (error as Error).message,
    });
  }
}

export const avatarKey = (userId: string) => `users/${userId}/avatar-${randomBytes(6).toString('hex')}.webp`;
