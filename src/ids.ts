const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id we hand out is a UUID; anything else a client sends as an id is refused before it reaches a query. */
export const isUuid = (value: string) => UUID.test(value);
