const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

/** Every import of a source file: the specifier and whether it is type-only. */
export function importsOf(source: string): Array<{ from: string; typeOnly: boolean }> {
  return [...source.matchAll(IMPORT)].map((m) => ({ from: m[3]!, typeOnly: Boolean(m[2]) }));
}
