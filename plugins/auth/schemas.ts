import Type from 'typebox';
import { UserView } from '../users/user-view.ts';
import { PASSWORD_MAX_LENGTH } from './passwords.ts';

export const Email = Type.String({ format: 'email', maxLength: 254, examples: ['ana@example.com'] });
export const Password = Type.String({
  minLength: 1,
  maxLength: PASSWORD_MAX_LENGTH,
  description: 'At least 10 characters; not a common password; not built from the email address',
  examples: ['sheep ship shop'],
});
export const Language = Type.String({
  pattern: '^[a-z]{2,3}(-[A-Za-z]{2,4})?$',
  maxLength: 16,
  description: 'BCP 47 language tag',
  examples: ['en'],
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const OpaqueToken = Type.String({ minLength: 16, maxLength: 128 });

const strict = { additionalProperties: false } as const;

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    nativeLanguage: Language,
    learningLanguage: Language,
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
  },
  strict,
);

export const MfaCode = Type.String({
  minLength: 6,
  maxLength: 16,
  description: 'The 6 digits of the authenticator app, or one recovery code',
  examples: ['492039'],
});

export const LoginBody = Type.Object(
  { email: Email, password: Password, mfaCode: Type.Optional(MfaCode) },
  { ...strict, description: 'mfaCode is required when the account has two-factor sign-in on' },
);
export const RefreshBody = Type.Object({ refreshToken: OpaqueToken }, strict);
export const LogoutBody = Type.Object(
  {
    refreshToken: Type.Optional(OpaqueToken),
    everywhere: Type.Optional(Type.Boolean({ description: 'Sign out every session of the account' })),
  },
  strict,
);
export const TokenBody = Type.Object({ token: OpaqueToken }, strict);
export const EmailBody = Type.Object({ email: Email }, strict);
export const ResetPasswordBody = Type.Object({ token: OpaqueToken, password: Password }, strict);
export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password }, strict);

export const Tokens = Type.Object({
  token: Type.String({ description: 'Access token (JWT, 15 minutes): send as `Authorization: Bearer …`' }),
  refreshToken: Type.String({ description: 'Opaque, single use, 7 days: exchange at /auth/refresh' }),
});
export const Session = Type.Object({
  user: UserView,
  token: Tokens.properties.token,
  refreshToken: Tokens.properties.refreshToken,
});
export const Accepted = Type.Object({ message: Type.String() });
export const UserResponse = Type.Object({ user: UserView });
