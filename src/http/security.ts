/** The OpenAPI security requirement of routes that need an access token. */
export const bearerAuth = [{ bearerAuth: [] as string[] }];
