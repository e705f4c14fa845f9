import Type, { type TEnum } from 'typebox';

/** A schema accepting exactly these strings (an enum in the OpenAPI document). */
export const oneOf = <const T extends readonly string[]>(values: T): TEnum<[...T]> =>
  Type.Enum([...values]) as TEnum<[...T]>;
