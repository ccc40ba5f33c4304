/** Settings fixed at build time. The options page and managed policy (later issues) will layer over these. */
export interface ExtensionConfig {
  /** Backend base URL without a trailing slash. */
  apiUrl: string;
}

export function buildTimeConfig(): ExtensionConfig {
  return { apiUrl: __SWITCHYARD_API_URL__ };
}
