/**
 * A pure function's answers, kept by the value asked about: only values of up to 256 characters
 * (a key, a nonce, an id; a long value is rarely asked again), and emptied when 1,024 are kept,
 * which bounds its memory. For answers that never change, such as a pattern's match of a value.
 */
export function shortValueMemo<T>(compute: (value: string) => T): (value: string) => T {
  const kept = new Map<string, T>();
  return (value) => {
    if (kept.has(value)) return kept.get(value) as T;
    const answer = compute(value);
    if (value.length <= 256) {
      if (kept.size >= 1024) kept.clear();
      kept.set(value, answer);
    }
    return answer;
  };
}
