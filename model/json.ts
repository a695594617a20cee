/** Any value that survives JSON.stringify → JSON.parse unchanged; used for checkpoint extras. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
