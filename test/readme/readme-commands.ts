/** Reading commands out of Markdown, and invocations out of source files, to compare them. */

/**
 * Every command line of the ```sh and ```bash blocks: a trailing `# comment` dropped, lines
 * ending in a backslash joined with the next, blank lines skipped.
 */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```$/gm)) {
    let pending = '';
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (line.endsWith('\\')) {
        pending += line.slice(0, -1).trim() + ' ';
        continue;
      }
      const command = (pending + line).trim();
      pending = '';
      if (command) commands.push(command);
    }
  }
  return commands;
}

/**
 * A source file's text with quotes, commas and brackets turned to spaces and runs of space
 * squeezed, so an argv array (`['mock', '--profile', 'luxcore']`) reads as the command line it
 * runs (`mock --profile luxcore`), however a formatter wrapped it.
 */
export function normalizeInvocation(source: string): string {
  return source.replace(/['"`,[\]]/g, ' ').replace(/\s+/g, ' ');
}
