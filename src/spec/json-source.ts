/**
 * A JSON file (a user's body schema) parsed strictly, with source positions: a syntax error
 * becomes a SpecError at its line and column, and any JSON pointer into the data can be located
 * the way a YAML path can (JSON is YAML, so the `yaml` library finds the node).
 */
import { SpecError } from './spec-error.ts';
import { parseYamlSource, readSpecText, sourceOf, type YamlSource } from './yaml-source.ts';

export function readJsonSource(absPath: string): YamlSource {
  const { file, text } = readSpecText(absPath);
  let data: unknown;
  try {
    // JSON.parse, not the YAML parser, decides what is valid: YAML accepts a trailing comma.
    data = JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    throw new SpecError([
      { file, ...syntaxErrorPosition(text, message), message: `invalid JSON: ${reason(message)}` },
    ]);
  }
  // Positions are worked out only when a problem must be placed: most files have none, and the
  // built-in schemas are read by every command.
  let located: Pick<YamlSource, 'locate'> | undefined;
  const locate: YamlSource['locate'] = (path, opts) => {
    located ??= locatorOf(text, file);
    return located.locate(path, opts);
  };
  return sourceOf(file, data, text, locate);
}

function locatorOf(text: string, file: string): Pick<YamlSource, 'locate'> {
  try {
    return parseYamlSource(text, file);
  } catch {
    // Valid JSON the YAML reader refuses (a duplicate key): place problems at the top.
    return { locate: () => ({ line: 1, column: 1 }) };
  }
}

/** V8 says "... in JSON at position N" (Node 20) and may add "(line L column C)" (Node 22). */
function syntaxErrorPosition(text: string, message: string): { line: number; column: number } {
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : text.length; // "Unexpected end of JSON input"
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function reason(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/^Unexpected end of JSON input$/, 'the file ends too early');
}
